package dev.chl.entries;

import dev.chl.model.DuplicateReport;
import dev.chl.model.Entry;

/**
 * The outcome of a create: the new entry and the duplicate check made for it — or, when the create was asked to hold
 * back near-copies and the check found one, no entry ({@link #saved()} is false) and the report that held it back.
 */
public record CreatedEntry(Entry entry, DuplicateReport duplicates) {
    public boolean saved() {
        return entry != null;
    }
}
