package dev.chl.model;

/** Whether an entry matches the published set, awaits review, or is personal and never exported. */
public enum SyncStatus implements WireValue {
    SYNCED("synced"),
    PENDING("pending"),
    LOCAL_ONLY("local_only");

    private final String wire;

    SyncStatus(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    public static SyncStatus fromWire(String field, String value) {
        return WireValue.parse(SyncStatus.class, field, value);
    }
}
