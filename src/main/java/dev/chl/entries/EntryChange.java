package dev.chl.entries;

import dev.chl.model.Entry;

/** A committed change to one entry, for listeners such as the search index. */
public record EntryChange(Type type, Entry entry) {
    public enum Type { CREATED, UPDATED, DELETED }
}
