package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.audit.AuditLog;
import dev.chl.entries.CategoryService;
import dev.chl.entries.EntryChange;
import dev.chl.entries.EntryService;
import dev.chl.index.LuceneIndex;
import dev.chl.model.Actor;
import dev.chl.model.DuplicateReport;
import dev.chl.model.Kind;
import dev.chl.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.index.IndexWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * An index whose writer Lucene closed (a full disk) while the first heal could not even start (the full disk refused
 * the rebuild job's row): health says damaged although searches still read, and the heal is asked for again.
 */
class HealRetryTest {
    @TempDir
    Path dir;

    @Test
    void aDamagedIndexWhoseHealCouldNotStartIsReportedAndHealedOnTheNextTry() throws Exception {
        Database database = Database.openSqlite(dir.resolve("chl.db"));
        database.migrate();
        JsonMapper json = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        AuditLog audit = new AuditLog(database, json, Clock.systemUTC());
        new CategoryService(database, audit, Clock.systemUTC()).create(Actor.system(), Map.of("code", "HEA", "name", "Heal"));
        LuceneIndex index = LuceneIndex.open(dir.resolve("index"), "test-model", 4);
        try {
            IndexService service = new IndexService(database, index, json, Clock.systemUTC());
            List<String> asked = new ArrayList<>();
            AtomicBoolean diskFull = new AtomicBoolean(true);
            service.healWith(reason -> {
                asked.add(reason);
                if (diskFull.getAndSet(false)) {
                    throw new IllegalStateException("[SQLITE_FULL] the rebuild job's row could not be written");
                }
                return Optional.of("JOB-heal");
            });
            List<EntryChange> changes = new ArrayList<>();
            EntryService entries = new EntryService(database, audit, Clock.systemUTC(),
                    (kind, category, title, body) -> new DuplicateReport(List.of(), ""), changes::add);
            entries.create(Actor.system(), Kind.EXPERIENCE, Map.of("category_code", "HEA", "section", "useful", "title", "Before the disk filled",
                    "playbook", "Indexed."));
            service.onEntryChanges(changes);
            service.healIfStillDamaged();
            assertThat(asked).as("nothing to heal yet").isEmpty();

            // Lucene closes its writer after a failed write (a "tragic event"); the files stay readable.
            java.lang.reflect.Field live = LuceneIndex.class.getDeclaredField("live");
            live.setAccessible(true);
            Object generation = live.get(index);
            java.lang.reflect.Field writer = generation.getClass().getDeclaredField("writer");
            writer.setAccessible(true);
            ((IndexWriter) writer.get(generation)).rollback();
            changes.clear();
            entries.create(Actor.system(), Kind.EXPERIENCE, Map.of("category_code", "HEA", "section", "useful", "title", "After the disk filled",
                    "playbook", "Never indexed."));
            service.onEntryChanges(changes);
            assertThat(asked).as("the first heal was asked for, and could not start").hasSize(1);
            assertThat(service.health()).containsEntry("state", "damaged");
            assertThat(service.status().state()).isEqualTo("damaged");

            service.healIfStillDamaged();
            assertThat(asked).as("asked again").hasSize(2);
            assertThat(service.health()).containsEntry("rebuild_job_id", "JOB-heal");
        } finally {
            index.close();
            database.close();
        }
    }
}
