package dev.chl.search;

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
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The index service over a real SQLite file and Lucene folder, without HTTP or workers, with one category: entries are
 * created through the entries service, and the changes it reports wait in {@link #changes} until a test hands them on.
 */
final class InProcessIndex implements AutoCloseable {
    static final String CATEGORY = "IDX";

    final Database database;
    final LuceneIndex index;
    final IndexService service;
    final EntryService entries;
    final List<EntryChange> changes = new ArrayList<>();

    InProcessIndex(Path dir) {
        database = Database.openSqlite(dir.resolve("chl.db"));
        database.migrate();
        JsonMapper json = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        AuditLog audit = new AuditLog(database, json, Clock.systemUTC());
        new CategoryService(database, audit, Clock.systemUTC()).create(Actor.system(), Map.of("code", CATEGORY, "name", "Index"));
        index = LuceneIndex.open(dir.resolve("index"), "test-model", 4);
        service = new IndexService(database, index, json, Clock.systemUTC());
        entries = new EntryService(database, audit, Clock.systemUTC(), (kind, category, title, body) -> new DuplicateReport(List.of(), ""),
                changes::add);
    }

    /** Creates an experience; its change waits in {@link #changes}. */
    void create(String title) {
        entries.create(Actor.system(), Kind.EXPERIENCE, Map.of("category_code", CATEGORY, "section", "useful", "title", title,
                "playbook", "Steps."));
    }

    /** Hands the waiting changes to the index service, as the entries service's listener does. */
    void indexChanges() {
        service.onEntryChanges(List.copyOf(changes));
        changes.clear();
    }

    @Override
    public void close() {
        index.close();
        database.close();
    }
}
