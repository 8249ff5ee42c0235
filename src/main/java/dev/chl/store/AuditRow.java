package dev.chl.store;

/** An audit_log row as stored: details are JSON text, timestamps ISO text. */
public record AuditRow(long id, String timestamp, String actor, String source, String action, String detailsJson) {}
