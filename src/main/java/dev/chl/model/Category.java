package dev.chl.model;

import java.time.Instant;

/** A shelf of the library, keyed by a three-letter upper-case code. */
public record Category(String code, String name, String description, Instant createdAt) {}
