package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.audit.AuditLog;
import dev.chl.entries.CategoryService;
import dev.chl.entries.EntryChange;
import dev.chl.entries.EntryService;
import dev.chl.index.LuceneIndex;
import dev.chl.model.Actor;
import dev.chl.model.DuplicateReport;
import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Section;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import dev.chl.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * An index that matches the database's counts, vectors and newest change while holding other entries (a snapshot
 * installed after a delete and an import of an older row) is told apart entry by entry.
 */
class EntryByEntryAgreementTest {
    @TempDir
    Path dir;

    @Test
    void countsThatMatchByChanceDoNotHideOtherEntries() {
        Database database = Database.openSqlite(dir.resolve("chl.db"));
        database.migrate();
        JsonMapper json = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        AuditLog audit = new AuditLog(database, json, Clock.systemUTC());
        new CategoryService(database, audit, Clock.systemUTC()).create(Actor.system(), Map.of("code", "AGR", "name", "Agreement"));
        LuceneIndex index = LuceneIndex.open(dir.resolve("index"), "test-model", 4);
        try {
            IndexService service = new IndexService(database, index, json, Clock.systemUTC());
            List<EntryChange> changes = new ArrayList<>();
            EntryService entries = new EntryService(database, audit, Clock.systemUTC(),
                    (kind, category, title, body) -> new DuplicateReport(List.of(), ""), changes::add);
            for (String title : List.of("Deleted later", "Kept and newest")) {
                entries.create(Actor.system(), Kind.EXPERIENCE, Map.of("category_code", "AGR", "section", "useful", "title", title,
                        "playbook", "Steps."));
            }
            service.onEntryChanges(changes);
            index.refresh();
            assertThat(service.disagreementByEntry()).isNull();

            // Behind the index's back (as after a snapshot taken before): one entry deleted, an older one imported.
            String deleted = changes.getFirst().entry().id();
            Instant older = Instant.parse("2026-01-01T00:00:00Z");
            database.write(tx -> {
                tx.entries().delete(Kind.EXPERIENCE, deleted);
                tx.entries().insert(new Entry("EXP-AGR-20260101-000000001", Kind.EXPERIENCE, "AGR", Section.USEFUL, "Imported, older",
                        "Steps.", null, null, null, Source.GLOBAL, SyncStatus.SYNCED, "curator", EmbeddingStatus.PENDING, older, older,
                        older, null));
                return null;
            });

            assertThat(service.disagreement()).as("counts, vectors and the newest change all match").isNull();
            assertThat(service.disagreementByEntry()).contains("1 entries missing from the index", "1 not in the database");
        } finally {
            index.close();
            database.close();
        }
    }
}
