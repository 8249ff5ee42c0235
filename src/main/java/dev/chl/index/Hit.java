package dev.chl.index;

/**
 * One search hit with the stored fields needed to show it without a database round trip.
 *
 * @param coverage for lexical hits, the weighted share of the query's words that occur in the title or body (0–1);
 *                 1 for vector hits
 */
public record Hit(String id, String kind, String categoryCode, String title, String body, float score, float coverage) {}
