package dev.chl.search;

import dev.chl.model.Entry;
import dev.chl.model.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Entries written since the index last refreshed (it shows writes every few hundred milliseconds): the duplicate check
 * must see an entry saved a moment ago — an assistant retrying its create — and refreshing the index on every create
 * instead cost each one ~12 ms. Holds the newest few only; a write the index already shows may linger here until the
 * next refresh, which does no harm (matches are told apart by id).
 */
final class RecentWrites {
    private static final int CAPACITY = 64;

    private record Written(Entry entry, long seq) {}

    private final LinkedHashMap<String, Written> byId = new LinkedHashMap<>();
    private long seq;

    synchronized void written(Entry entry) {
        byId.remove(entry.id());
        byId.put(entry.id(), new Written(entry, ++seq));
        if (byId.size() > CAPACITY) {
            byId.remove(byId.keySet().iterator().next());
        }
    }

    synchronized void deleted(String id) {
        byId.remove(id);
    }

    /** A mark to pass to {@link #visibleUpTo} once a refresh that began after it has ended. */
    synchronized long mark() {
        return seq;
    }

    /** Forgets the writes made up to {@code mark}: the index shows them now. */
    synchronized void visibleUpTo(long mark) {
        byId.values().removeIf(w -> w.seq() <= mark);
    }

    /** The writes of {@code kind} (and {@code categoryCode}, unless null) the index may not show yet, newest first. */
    synchronized List<Entry> of(Kind kind, String categoryCode, int max) {
        List<Entry> out = new ArrayList<>();
        for (Written w : byId.sequencedValues().reversed()) {
            Entry e = w.entry();
            if (out.size() < max && e.kind() == kind && (categoryCode == null || categoryCode.equals(e.categoryCode()))) {
                out.add(e);
            }
        }
        return out;
    }
}
