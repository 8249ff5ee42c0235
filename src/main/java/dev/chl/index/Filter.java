package dev.chl.index;

/** Restricts a search to one kind and/or one category; null members mean "any". */
public record Filter(String kind, String categoryCode, boolean withoutVectorOnly) {
    public static final Filter NONE = new Filter(null, null);

    public Filter(String kind, String categoryCode) {
        this(kind, categoryCode, false);
    }

    /**
     * The same filter, narrowed to documents that have no vector yet (entries waiting for their embedding). For lexical
     * searches only: a vector search finds only documents with a vector, so with this filter it finds nothing.
     */
    public Filter withoutVector() {
        return new Filter(kind, categoryCode, true);
    }
}
