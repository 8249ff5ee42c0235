package dev.chl.index;

/** Restricts a search to one kind and/or one category; null members mean "any". */
public record Filter(String kind, String categoryCode) {
    public static final Filter NONE = new Filter(null, null);
}
