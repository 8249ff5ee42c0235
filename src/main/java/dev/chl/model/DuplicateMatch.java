package dev.chl.model;

/** An existing entry close to a text being written, with its similarity score (cosine, 0–1). */
public record DuplicateMatch(String id, Kind kind, String title, double score) {}
