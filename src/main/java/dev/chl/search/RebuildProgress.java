package dev.chl.search;

/** Told how a rebuild advances; {@code total} is the number of entries to index. */
@FunctionalInterface
public interface RebuildProgress {
    RebuildProgress NONE = (done, total) -> { };

    void advanced(long done, long total);
}
