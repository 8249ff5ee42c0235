package dev.chl.ops;

import dev.chl.common.NotFoundException;
import dev.chl.model.WireValue;
import java.util.List;

/** The kinds of long-running operation, each with the advisory locks it needs. */
public enum JobType implements WireValue {
    IMPORT("import", List.of(Locks.INDEX, Locks.LIBRARY)),
    EXPORT("export", List.of(Locks.LIBRARY)),
    INDEX_REBUILD("index-rebuild", List.of(Locks.INDEX)),
    EMBEDDINGS_SYNC("embeddings-sync", List.of(Locks.EMBEDDINGS)),
    BACKUP("backup", List.of(Locks.BACKUP));

    private final String wire;
    private final List<String> locks;

    JobType(String wire, List<String> locks) {
        this.wire = wire;
        this.locks = locks;
    }

    @Override
    public String wire() {
        return wire;
    }

    public List<String> locks() {
        return locks;
    }

    public static JobType fromPath(String value) {
        for (JobType type : values()) {
            if (type.wire.equals(value)) {
                return type;
            }
        }
        throw new NotFoundException("no operation '" + value + "'; use one of " + WireValue.allowed(JobType.class));
    }

    /** Lock names. Import and index-rebuild share the index; import and export exclude each other through the library. */
    static final class Locks {
        static final String INDEX = "index";
        static final String LIBRARY = "library";
        static final String EMBEDDINGS = "embeddings";
        static final String BACKUP = "backup";

        private Locks() {}
    }
}
