package dev.chl.search;

import dev.chl.index.IndexDocument;
import dev.chl.model.Entry;
import dev.chl.model.Kind;

/** How an entry is represented in the index. */
final class EntryDocuments {
    private EntryDocuments() {}

    static IndexDocument of(Entry e, float[] vector) {
        String extra = e.kind() == Kind.EXPERIENCE ? e.context() : e.summary();
        return new IndexDocument(e.id(), e.kind().wire(), e.categoryCode(), e.section() == null ? null : e.section().wire(),
                e.title(), e.body(), extra, e.updatedAt().toEpochMilli(), vector);
    }
}
