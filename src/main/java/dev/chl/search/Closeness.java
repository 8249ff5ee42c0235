package dev.chl.search;

import dev.chl.model.DuplicateMatch;
import dev.chl.settings.SearchSettings;
import java.util.List;

/** How close the nearest existing entry is to a new text, by the configured thresholds. */
public enum Closeness {
    NEW, RELATED, TOO_CLOSE;

    static Closeness of(List<DuplicateMatch> matches, SearchSettings t) {
        if (matches.isEmpty() || matches.getFirst().score() < t.relatedThreshold()) {
            return NEW;
        }
        return matches.getFirst().score() >= t.tooCloseThreshold() ? TOO_CLOSE : RELATED;
    }
}
