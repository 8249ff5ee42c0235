package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Section;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index that matches the database's counts, vectors and newest change while holding other entries (a snapshot
 * installed after a delete and an import of an older row) is told apart entry by entry.
 */
class EntryByEntryAgreementTest {
    @TempDir
    Path dir;

    @Test
    void countsThatMatchByChanceDoNotHideOtherEntries() {
        try (InProcessIndex h = new InProcessIndex(dir)) {
            h.create("Deleted later");
            h.create("Kept and newest");
            String deleted = h.changes.getFirst().entry().id();
            h.indexChanges();
            h.index.refresh();
            assertThat(h.service.disagreementByEntry()).isNull();

            // Behind the index's back (as after a snapshot taken before): one entry deleted, an older one imported.
            Instant older = Instant.parse("2026-01-01T00:00:00Z");
            h.database.write(tx -> {
                tx.entries().delete(Kind.EXPERIENCE, deleted);
                tx.entries().insert(new Entry("EXP-IDX-20260101-000000001", Kind.EXPERIENCE, InProcessIndex.CATEGORY, Section.USEFUL,
                        "Imported, older", "Steps.", null, null, null, Source.GLOBAL, SyncStatus.SYNCED, "curator", EmbeddingStatus.PENDING,
                        older, older, older, null));
                return null;
            });

            assertThat(h.service.disagreement()).as("counts, vectors and the newest change all match").isNull();
            assertThat(h.service.disagreementByEntry()).contains("1 entries missing from the index", "1 not in the database");
        }
    }
}
