package dev.chl.model;

/** Where an experience sits: a practice to follow, one to avoid, or one that depends on context. */
public enum Section implements WireValue {
    USEFUL("useful"),
    HARMFUL("harmful"),
    CONTEXTUAL("contextual");

    private final String wire;

    Section(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    public static Section fromWire(String field, String value) {
        return WireValue.parse(Section.class, field, value);
    }
}
