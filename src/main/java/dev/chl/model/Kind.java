package dev.chl.model;

/** The two kinds of library entry: atomic experiences and long-form category manuals. */
public enum Kind implements WireValue {
    EXPERIENCE("experience", "experiences", "EXP"),
    MANUAL("manual", "manuals", "MNL");

    private final String wire;
    private final String plural;
    private final String idPrefix;

    Kind(String wire, String plural, String idPrefix) {
        this.wire = wire;
        this.plural = plural;
        this.idPrefix = idPrefix;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The collection name used in URLs, table names and worksheet names. */
    public String plural() {
        return plural;
    }

    public String idPrefix() {
        return idPrefix;
    }

    public static Kind fromWire(String field, String value) {
        return WireValue.parse(Kind.class, field, value);
    }

    /** Accepts the plural collection name ("experiences") as used in URL paths. */
    public static Kind fromPlural(String value) {
        for (Kind kind : values()) {
            if (kind.plural.equals(value)) {
                return kind;
            }
        }
        throw new dev.chl.common.NotFoundException("no such collection '" + value + "'; use experiences or manuals");
    }

    /** The kind an entry id belongs to, from its prefix; null when the id has neither prefix. */
    public static Kind ofId(String id) {
        for (Kind kind : values()) {
            if (id != null && id.startsWith(kind.idPrefix + "-")) {
                return kind;
            }
        }
        return null;
    }
}
