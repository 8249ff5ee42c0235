package dev.chl.store;

/** Filters for reading the audit log newest first; {@code beforeId} is the keyset cursor (null for the first page). */
public record AuditQuery(String actor, String action, String since, Long beforeId, int limit) {}
