package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.audit.AuditLog;
import dev.chl.common.Times;
import dev.chl.entries.CategoryService;
import dev.chl.entries.EntryChange;
import dev.chl.entries.EntryService;
import dev.chl.index.Filter;
import dev.chl.index.Hit;
import dev.chl.index.LuceneIndex;
import dev.chl.model.Actor;
import dev.chl.model.DuplicateReport;
import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.store.Database;
import dev.chl.workers.VectorSink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The index follows the database whatever order the two writers reach it in: an entry change's listener (on the
 * request thread, after its commit) and a worker handing over a freshly embedded batch (after its own commit).
 * These orders happen for real when the request thread is descheduled right after its commit; the tests replay them
 * deterministically by calling the two entry points in the bad order.
 */
class IndexServiceOrderingTest {
    private static final String MODEL = "test-model";
    private static final float[] VECTOR = {0.6f, 0.8f, 0, 0};

    @TempDir
    Path dir;
    private Database database;
    private LuceneIndex index;
    private IndexService service;
    private EntryService entries;
    private final List<EntryChange> changes = new ArrayList<>();

    @BeforeEach
    void open() {
        database = Database.openSqlite(dir.resolve("chl.db"));
        database.migrate();
        JsonMapper json = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        AuditLog audit = new AuditLog(database, json, Clock.systemUTC());
        new CategoryService(database, audit, Clock.systemUTC()).create(Actor.system(), Map.of("code", "ORD", "name", "Ordering"));
        index = LuceneIndex.open(dir.resolve("index"), MODEL, VECTOR.length);
        service = new IndexService(database, index, json, Clock.systemUTC());
        entries = new EntryService(database, audit, Clock.systemUTC(),
                (kind, category, title, body) -> new DuplicateReport(List.of(), "No close entries"), changes::add);
    }

    @AfterEach
    void close() {
        index.close();
        database.close();
    }

    private Entry create(String title) {
        entries.create(Actor.system(), Kind.EXPERIENCE, Map.of("category_code", "ORD", "section", "useful", "title", title,
                "playbook", "Steps to follow."));
        return changes.getLast().entry();
    }

    /** What a worker does for one entry: store the vector, mark it embedded, then hand it to the index. */
    private void embed(Entry pending) {
        database.write(tx -> {
            assertThat(tx.entries().markEmbedded(Kind.EXPERIENCE, pending.id(), Times.format(pending.updatedAt()))).isTrue();
            tx.vectors().upsert(pending.id(), MODEL, VECTOR, null, "sha", Times.format(java.time.Instant.now()));
            return null;
        });
    }

    private List<Hit> vectorHits() {
        index.refresh();
        return index.vector(VECTOR, Filter.NONE, 10);
    }

    @Test
    void manyChangesAtOnceAreIndexedAsTheDatabaseHoldsThemChunkByChunk() {
        int n = 2 * IndexService.SYNC_CHUNK + 3;
        List<Entry> created = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            created.add(create("Bulk entry " + i));
        }
        embed(created.get(0));
        embed(created.get(n - 1));
        entries.delete(Actor.system(), Kind.EXPERIENCE, created.get(1).id());
        entries.delete(Actor.system(), Kind.EXPERIENCE, created.get(n - 2).id());

        // An import hands over all its changes at once, after its commit (the copies it carries are stale by now).
        service.onEntryChanges(List.copyOf(changes));

        index.refresh();
        assertThat(index.stats().documents()).isEqualTo(n - 2);
        assertThat(vectorHits()).extracting(Hit::id).containsExactlyInAnyOrder(created.get(0).id(), created.get(n - 1).id());
        assertThat(index.lexical(List.of(new dev.chl.index.WeightedText("bulk entry", 1f)), Filter.NONE, n)).extracting(Hit::id)
                .doesNotContain(created.get(1).id(), created.get(n - 2).id()).hasSize(n - 2);
    }

    @Test
    void lateCreateListenerDoesNotDropTheVectorOfAnEntryEmbeddedMeanwhile() {
        Entry created = create("Slow listener");
        assertThat(created.embeddingStatus()).isEqualTo(EmbeddingStatus.PENDING);

        // The worker is quicker than the request thread: it embeds and indexes the entry first ...
        embed(created);
        service.indexEmbedded(List.of(new VectorSink.Embedded(withStatus(created, EmbeddingStatus.EMBEDDED), VECTOR)));
        // ... and only then does the create's listener run, with its copy that still says "pending".
        service.onEntryChange(changes.getLast());

        assertThat(vectorHits()).extracting(Hit::id).containsExactly(created.id());
        assertThat(service.disagreement()).isNull();
    }

    @Test
    void lateWorkerHandOverDoesNotBringBackADeletedEntry() {
        Entry created = create("Deleted while embedding");
        service.onEntryChange(changes.getLast());
        embed(created);

        entries.delete(Actor.system(), Kind.EXPERIENCE, created.id());
        service.onEntryChange(changes.getLast());
        // The worker's hand-over for the now deleted entry arrives late.
        service.indexEmbedded(List.of(new VectorSink.Embedded(withStatus(created, EmbeddingStatus.EMBEDDED), VECTOR)));

        assertThat(vectorHits()).isEmpty();
        assertThat(index.stats().documents()).isZero();
        assertThat(service.disagreement()).isNull();
    }

    @Test
    void lateWorkerHandOverDoesNotRestoreTextEditedMeanwhile() {
        Entry created = create("Original title");
        service.onEntryChange(changes.getLast());
        embed(created);

        entries.update(Actor.system(), Kind.EXPERIENCE, created.id(), Map.of("title", "Edited title"));
        service.onEntryChange(changes.getLast());
        service.indexEmbedded(List.of(new VectorSink.Embedded(withStatus(created, EmbeddingStatus.EMBEDDED), VECTOR)));
        index.refresh();

        List<Hit> edited = index.lexical(List.of(new dev.chl.index.WeightedText("edited", 1f)), Filter.NONE, 10);
        assertThat(edited).extracting(Hit::id).containsExactly(created.id());
        assertThat(index.lexical(List.of(new dev.chl.index.WeightedText("original", 1f)), Filter.NONE, 10)).isEmpty();
    }

    private static Entry withStatus(Entry e, EmbeddingStatus status) {
        return new Entry(e.id(), e.kind(), e.categoryCode(), e.section(), e.title(), e.playbook(), e.context(), e.content(),
                e.summary(), e.source(), e.syncStatus(), e.author(), status, e.createdAt(), e.updatedAt(), e.syncedAt(), e.exportedAt());
    }
}
