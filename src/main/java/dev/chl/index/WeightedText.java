package dev.chl.index;

/** A piece of query text and how much its words count relative to the others. */
public record WeightedText(String text, float weight) {}
