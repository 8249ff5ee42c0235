package dev.chl.model;

/** Whether an entry's vector is in the index. */
public enum EmbeddingStatus implements WireValue {
    PENDING("pending"),
    EMBEDDED("embedded"),
    FAILED("failed");

    private final String wire;

    EmbeddingStatus(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    public static EmbeddingStatus fromWire(String field, String value) {
        return WireValue.parse(EmbeddingStatus.class, field, value);
    }
}
