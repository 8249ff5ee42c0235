package dev.chl.model;

/** An entry whose embedding failed, with the last error, for the console's "recent failures". */
public record EmbeddingFailure(String id, String kind, String title, int attempts, String error, String updatedAt) {}
