package dev.chl.model;

import java.time.Instant;
import java.util.Map;

/** One row of the audit log: who changed what, through which interface. */
public record AuditEvent(long id, Instant timestamp, String actor, Channel source, String action, Map<String, Object> details) {}
