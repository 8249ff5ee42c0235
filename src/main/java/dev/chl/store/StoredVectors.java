package dev.chl.store;

/**
 * An entry's stored embedding: the vector of its whole text and those of its pieces (title, sentences), and the hash
 * of the text they were made from (an edited entry keeps its old vectors until it is embedded again).
 */
public record StoredVectors(String entryId, String textSha256, float[] whole, float[][] pieces) {}
