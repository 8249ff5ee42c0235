package dev.chl.testing;

import dev.chl.audit.AuditLog;
import dev.chl.http.JsonBodies;
import dev.chl.model.Actor;
import dev.chl.model.Category;
import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Section;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import dev.chl.ops.JobKind;
import dev.chl.ops.Operations;
import dev.chl.settings.SettingsService;
import dev.chl.store.Database;
import dev.chl.telemetry.EventBus;
import dev.chl.workers.EmbeddingWorkers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ops and workers features wired by hand on a temporary SQLite file, without HTTP: real {@link EmbeddingWorkers},
 * {@link Operations} and {@link EventBus}, with a {@link GatedEmbedder} so a test can hold a batch in flight or make
 * an entry fail, and any {@link JobKind}s (scripted bodies) a test needs.
 */
public final class OpsHarness implements AutoCloseable {
    public static final String CATEGORY = "TST";
    public static final Actor OPERATOR = new Actor("operator", dev.chl.model.Channel.API);

    public final Path dir;
    public final Database database;
    public final JsonMapper json = JsonBodies.appJson();
    public final AuditLog audit;
    public final SettingsService settings;
    public final GatedEmbedder embedder = new GatedEmbedder();
    public final EmbeddingWorkers workers;
    public final EventBus bus;
    public final Sqlite sql;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final AtomicInteger nextEntry = new AtomicInteger();

    /** @param workerCount embedding workers to start (0: do not start them) */
    public OpsHarness(int workerCount) {
        try {
            dir = Files.createTempDirectory("chl-ops-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        database = Database.openSqlite(dir.resolve("chl.db"));
        database.migrate();
        sql = new Sqlite(dir.resolve("chl.db"));
        Clock clock = Clock.systemUTC();
        audit = new AuditLog(database, json, clock);
        settings = new SettingsService(database, audit, json, clock);
        database.write(tx -> {
            tx.categories().insert(new Category(CATEGORY, "Test shelf", "", Instant.now()));
            return null;
        });
        bus = new EventBus(json);
        workers = new EmbeddingWorkers(database, embedder, batch -> { }, settings, audit, clock);
        if (workerCount > 0) {
            settings.updateWorkers(Actor.system(), Map.of("count", workerCount, "batch_size", 4));
            workers.start();
        }
    }

    /** Operations over this harness with the given job kinds, closed with the harness. */
    public Operations operations(Clock clock, List<JobKind> kinds) {
        Operations ops = new Operations(database, audit, workers, settings, bus, json, clock, kinds);
        toClose.addFirst(ops);
        return ops;
    }

    /** Inserts a pending experience (as a committed create leaves it) and wakes the workers; returns its id. */
    public String insertPending(String title) {
        return insertPending(title, Instant.now());
    }

    /** As {@link #insertPending(String)}, last updated at {@code updatedAt} (e.g. an imported row older than the rest). */
    public String insertPending(String title, Instant updatedAt) {
        String id = String.format("EXP-%s-20260101-%09d", CATEGORY, nextEntry.getAndIncrement());
        Instant now = updatedAt;
        Entry e = new Entry(id, Kind.EXPERIENCE, CATEGORY, Section.USEFUL, title, "Playbook for " + title + ".", null, null, null,
                Source.LOCAL, SyncStatus.PENDING, "tester", EmbeddingStatus.PENDING, now, now, null, null);
        database.write(tx -> {
            tx.entries().insert(e);
            return null;
        });
        workers.wake();
        return id;
    }

    public List<String> insertPending(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(insertPending(prefix + " " + i));
        }
        return ids;
    }

    public String status(String id) {
        return (String) sql.rows("SELECT embedding_status FROM experiences WHERE id = ?", id).getFirst().get("embedding_status");
    }

    public Map<String, Object> row(String id) {
        return sql.rows("SELECT embedding_status, embedding_attempts, embedding_retry_at FROM experiences WHERE id = ?", id).getFirst();
    }

    public long countWithStatus(List<String> ids, String status) {
        return ids.stream().filter(id -> status.equals(status(id))).count();
    }

    /** True when every worker reports {@code status}. */
    public boolean allWorkers(String status) {
        return workers.states().stream().allMatch(w -> w.status().equals(status));
    }

    @Override
    public void close() {
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        embedder.openGate();
        workers.close();
        database.close();
    }
}
