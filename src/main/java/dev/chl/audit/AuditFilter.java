package dev.chl.audit;

/** What to read from the audit log; every member may be null. {@code since} is ISO-8601. */
public record AuditFilter(String actor, String action, String since, Integer limit, String cursor) {}
