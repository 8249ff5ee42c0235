package dev.chl.search;

import java.util.List;

/** @param mode "hybrid" when vector retrieval took part, "lexical" when only BM25 could answer */
public record SearchResults(String mode, List<SearchResult> results) {}
