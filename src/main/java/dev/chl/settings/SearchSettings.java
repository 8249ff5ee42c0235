package dev.chl.settings;

/** Duplicate-check thresholds on cosine similarity (DESIGN §4). */
public record SearchSettings(double tooCloseThreshold, double relatedThreshold) {
    public static final SearchSettings DEFAULTS = new SearchSettings(0.85, 0.60);
}
