package dev.chl.model;

/** Which interface a change came through; recorded with every audit row and job. */
public enum Channel implements WireValue {
    API("api"),
    CLI("cli"),
    UI("ui"),
    MCP("mcp"),
    SYSTEM("system");

    private final String wire;

    Channel(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    public static Channel fromWire(String field, String value) {
        return WireValue.parse(Channel.class, field, value);
    }
}
