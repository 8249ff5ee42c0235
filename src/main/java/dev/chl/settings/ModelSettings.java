package dev.chl.settings;

/** The sentence-embedding model; a change takes effect at the next start (index rebuilt, entries re-embedded). */
public record ModelSettings(String modelId) {}
