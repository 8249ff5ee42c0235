package dev.chl.model;

/** Where an entry comes from: written here, or imported from the published set. */
public enum Source implements WireValue {
    LOCAL("local"),
    GLOBAL("global");

    private final String wire;

    Source(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    public static Source fromWire(String field, String value) {
        return WireValue.parse(Source.class, field, value);
    }
}
