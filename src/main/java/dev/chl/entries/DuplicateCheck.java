package dev.chl.entries;

import dev.chl.model.DuplicateReport;
import dev.chl.model.Kind;

/** Finds existing entries close to a text about to be written; the search feature provides it. */
@FunctionalInterface
public interface DuplicateCheck {
    DuplicateReport check(Kind kind, String categoryCode, String title, String body);

    /** Whether a report's nearest match is close enough that a person should confirm before adding another entry. */
    default boolean needsConfirmation(DuplicateReport report) {
        return false;
    }
}
