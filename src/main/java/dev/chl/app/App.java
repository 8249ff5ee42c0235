package dev.chl.app;

import dev.chl.api.AuditApi;
import dev.chl.api.CategoriesApi;
import dev.chl.api.EntriesApi;
import dev.chl.api.HealthApi;
import dev.chl.api.SettingsApi;
import dev.chl.audit.AuditExport;
import dev.chl.audit.AuditLog;
import dev.chl.audit.AuditPruneTask;
import dev.chl.entries.CategoryService;
import dev.chl.entries.EntryService;
import dev.chl.entries.LibrarySeed;
import dev.chl.http.HttpServer;
import dev.chl.mcp.McpServers;
import dev.chl.api.UploadsApi;
import dev.chl.exchange.ExchangePruneTask;
import dev.chl.exchange.ExchangeService;
import dev.chl.exchange.ExportJob;
import dev.chl.exchange.ImportJob;
import dev.chl.exchange.Uploads;
import dev.chl.exchange.SheetsGateway;
import dev.chl.settings.CredentialStore;
import dev.chl.exchange.Diagnostics;
import dev.chl.api.EventsApi;
import dev.chl.api.OperationsApi;
import dev.chl.api.TelemetryApi;
import dev.chl.ops.BackupJob;
import dev.chl.ops.EmbeddingsSyncJob;
import dev.chl.ops.IndexHeal;
import dev.chl.ops.IndexRebuildJob;
import dev.chl.ops.JobType;
import dev.chl.ops.Operations;
import dev.chl.telemetry.EventBus;
import dev.chl.telemetry.Metrics;
import dev.chl.telemetry.TelemetryPublisher;
import dev.chl.telemetry.QueueHistory;
import dev.chl.web.Console;
import java.util.function.Supplier;
import dev.chl.http.JsonBodies;
import dev.chl.http.TokenGuard;
import dev.chl.api.IndexApi;
import dev.chl.api.SearchApi;
import dev.chl.api.WorkersApi;
import dev.chl.embed.CachingEmbedder;
import dev.chl.embed.Embedder;
import dev.chl.embed.EmbeddingModels;
import dev.chl.index.LuceneIndex;
import dev.chl.search.IndexService;
import dev.chl.search.IndexSnapshots;
import dev.chl.search.SearchService;
import dev.chl.workers.EmbeddingWorkers;
import dev.chl.workers.QueueCounts;
import dev.chl.workers.WorkerMetricsPruneTask;
import dev.chl.workers.WorkerState;
import java.util.function.Function;
import dev.chl.settings.SettingsService;
import dev.chl.store.Database;
import dev.chl.telemetry.ComponentHealth;
import dev.chl.telemetry.HealthService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The composition root: builds every part in dependency order, starts the HTTP server last (so no request sees a
 * half-built service) and closes everything in reverse order.
 */
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);
    /** How stale search results may be after a write (deletes are hidden at once). */
    static final Duration REFRESH_EVERY = Duration.ofMillis(200);

    private final Config config;
    private final Database database;
    private final Scheduler scheduler;
    private final HttpServer http;
    private final List<AutoCloseable> closeOrder;
    private final Services services;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** The feature facades, for in-process callers (the stdio MCP server, tests and benchmarks). */
    public record Services(CategoryService categories, EntryService entries, SearchService search, IndexService index,
                           EmbeddingWorkers workers, SettingsService settings, AuditLog audit, Operations operations,
                           EventBus events) {}

    /** @param closeOrder filled with each part as it opens, first to close first (the caller closes it if this fails) */
    private App(Config config, Clock clock, Function<String, Embedder> models, boolean serveHttp, List<AutoCloseable> closeOrder) {
        this.closeOrder = closeOrder;
        this.config = config;
        Path dataDir = createDataDir(config.dataDir());
        closeOrder.addFirst(DataDirectoryLock.acquire(dataDir));
        JsonMapper json = jsonMapper();

        this.database = Database.openSqlite(dataDir.resolve("chl.db"));
        closeOrder.addFirst(database);
        database.migrate();

        AuditLog audit = new AuditLog(database, json, clock);
        SettingsService settings = new SettingsService(database, audit, json, clock);
        CategoryService categories = new CategoryService(database, audit, clock);
        Embedder embedder = new CachingEmbedder(models.apply(settings.modelId()), 4096);
        LuceneIndex index;
        try {
            index = LuceneIndex.open(dataDir.resolve("index"), embedder.modelId(), embedder.dimension());
        } catch (dev.chl.index.IndexInUseException e) {
            throw new Config.ConfigException(e.getMessage());
        }
        closeOrder.addFirst(index);
        IndexService indexService = new IndexService(database, index, json, clock);
        SearchService search = new SearchService(indexService, database, embedder, settings);
        EmbeddingWorkers workers = new EmbeddingWorkers(database, embedder, indexService, settings, audit, clock);
        closeOrder.addFirst(workers);
        EntryService entries = new EntryService(database, audit, clock, search, change -> {
            indexService.onEntryChange(change);
            workers.wake();
        });
        EventBus bus = new EventBus(json);
        BackupJob backups = new BackupJob(database, dataDir.resolve("backups"), clock, () -> settings.retention().backupsKept());
        backups.clearLeftovers();
        Uploads uploads = new Uploads(dataDir.resolve("uploads"), json);
        CredentialStore credentials = new CredentialStore(database, audit, json, clock, dataDir.resolve("credentials"));
        credentials.clearLeftovers();
        SheetsGateway sheets = new SheetsGateway(credentials::keyFile, config.googleApiRoot());
        ExchangeService exchange = new ExchangeService(database, entries, audit, clock, changes -> {
            indexService.onEntryChanges(changes);
            workers.wake();
        }, dataDir.resolve("exports"), sheets, settings::sheets);
        exchange.clearLeftovers();
        Operations operations = new Operations(database, audit, workers, settings, bus, json, clock, List.of(
                new IndexRebuildJob(indexService),
                new EmbeddingsSyncJob(workers, indexService),
                backups,
                new ImportJob(exchange, uploads, backups),
                new ExportJob(exchange)));
        closeOrder.addFirst(operations);
        operations.recoverAfterRestart();
        new LibrarySeed(database, audit, clock).applyIfNeeded();
        this.services = new Services(categories, entries, search, indexService, workers, settings, audit, operations, bus);
        IndexSnapshots snapshots = new IndexSnapshots(indexService, workers, audit, dataDir.resolve("tmp"),
                activity -> operations.hold(JobType.INDEX_REBUILD, activity)::close);
        snapshots.clearLeftovers();
        IndexHeal heal = new IndexHeal(operations, indexService);
        indexService.healWith(heal::start);

        this.scheduler = new Scheduler();
        closeOrder.addFirst(scheduler);
        scheduler.every("audit-prune", Duration.ZERO, Duration.ofHours(1),
                new AuditPruneTask(audit, () -> settings.retention().audit()));
        scheduler.every("worker-metrics-prune", Duration.ofMinutes(1), Duration.ofHours(1),
                new WorkerMetricsPruneTask(database, clock, () -> settings.retention().workerMetrics()));
        scheduler.every("exchange-files-prune", Duration.ofMinutes(1), Duration.ofHours(1),
                new ExchangePruneTask(dataDir.resolve("uploads"), dataDir.resolve("exports"), clock));
        scheduler.every("index-refresh", REFRESH_EVERY, REFRESH_EVERY, indexService::refreshIfChanged);
        scheduler.every("index-commit", Duration.ofSeconds(5), Duration.ofSeconds(5), indexService::commitIfDirty);
        scheduler.every("index-heal-retry", Duration.ofSeconds(30), Duration.ofSeconds(30), indexService::healIfStillDamaged);
        scheduler.every("lease-renewal", Duration.ofSeconds(15), Duration.ofSeconds(15), operations::renewLeases);
        Supplier<Map<String, Object>> snapshot = () -> telemetrySnapshot(workers, operations, clock);
        QueueHistory queueHistory = new QueueHistory();
        scheduler.every("telemetry", Duration.ofSeconds(1), Duration.ofSeconds(settings.operations().telemetryIntervalSeconds()),
                new TelemetryPublisher(bus, snapshot, queueHistory));
        // The index heals as a job in the background: searches answer from what the index holds meanwhile.
        scheduler.once("index-heal", () -> {
            heal.checkAtStartUp();
            workers.wake();
        });
        workers.start();
        Metrics metrics = metrics(workers, operations, database);

        HealthService health = new HealthService()
                .add("database", () -> databaseHealth(database))
                .add("index", () -> indexHealth(indexService))
                .add("workers", () -> workersHealth(workers));
        if (!serveHttp) {
            this.http = null;
            return;
        }
        JsonBodies bodies = new JsonBodies(json);
        TokenGuard guard = new TokenGuard(config.apiToken(), clock);
        McpServers.Module mcp = McpServers.httpModule(categories, entries, search, guard);
        EventsApi events = new EventsApi(bus);
        closeOrder.addFirst(mcp);
        AuditExport auditExport = new AuditExport(audit, json);
        Diagnostics diagnostics = new Diagnostics(settings, credentials, sheets, health);
        Console console = new Console(new Console.Services(categories, entries, search, indexService, snapshots, workers, settings,
                credentials, diagnostics, audit, auditExport, operations, exchange, uploads, bus, health, queueHistory), guard, clock);
        this.http = new HttpServer(config.host(), config.port(), guard, json, List.of(
                mcp,
                new HealthApi(health),
                new CategoriesApi(categories, bodies),
                new EntriesApi(entries, bodies),
                new SearchApi(search, bodies),
                new IndexApi(indexService, snapshots),
                new WorkersApi(workers),
                new OperationsApi(operations, bodies, exchange),
                new UploadsApi(uploads),
                events,
                new TelemetryApi(snapshot, metrics),
                new AuditApi(audit, auditExport),
                new SettingsApi(settings, bodies, credentials, diagnostics),
                console), console);
        closeOrder.addFirst(http);
        closeOrder.addFirst(events);
        closeOrder.addFirst(console);
    }

    /** Builds and starts a server; on failure everything already opened is closed again. */
    public static App start(Config config, Clock clock) {
        return start(config, clock, EmbeddingModels::load);
    }

    /** @param models loads an embedding model by id (tests pass a shared, already loaded one) */
    public static App start(Config config, Clock clock, Function<String, Embedder> models) {
        return start(config, clock, models, true);
    }

    /**
     * Opens the data directory and runs every service without an HTTP server — for {@code chl mcp --mode direct},
     * where this process is the only one using the data directory.
     */
    public static App startWithoutHttp(Config config, Clock clock) {
        return start(config, clock, EmbeddingModels::load, false);
    }

    private static App start(Config config, Clock clock, Function<String, Embedder> models, boolean serveHttp) {
        config.validated();
        App app = null;
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            app = new App(config, clock, models, serveHttp, parts);
            if (app.http != null) {
                app.http.start();
                LOG.info("CHL listening on http://{}:{} (data in {})", config.host(), app.port(), config.dataDir());
            }
            return app;
        } catch (RuntimeException e) {
            if (app != null) {
                app.close();
            } else {
                // the constructor failed half-way: what it had opened (the directory lock, the database…) is closed here
                closeAll(parts);
            }
            throw e;
        }
    }

    public int port() {
        if (http == null) {
            throw new IllegalStateException("this instance serves no HTTP");
        }
        return http.port();
    }

    public Services services() {
        return services;
    }

    public Config config() {
        return config;
    }

    static JsonMapper jsonMapper() {
        return JsonBodies.appJson();
    }

    private static Path createDataDir(Path dir) {
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new Config.ConfigException("data directory " + dir + " is not writable; fix its permissions or set CHL_DATA_DIR");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir + "; set CHL_DATA_DIR to a writable folder", e);
        }
    }

    private static ComponentHealth databaseHealth(Database database) {
        long start = System.nanoTime();
        database.ping();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", database.dialect().name().toLowerCase(java.util.Locale.ROOT));
        details.put("latency_ms", Math.round((System.nanoTime() - start) / 10_000.0) / 100.0);
        return ComponentHealth.ok(details);
    }

    private static ComponentHealth indexHealth(IndexService index) {
        Map<String, Object> details = new LinkedHashMap<>(index.health());
        if (details.containsKey("remediation") && !Boolean.TRUE.equals(details.get("readable"))) {
            return new ComponentHealth("down", details); // unreadable: searches answer 503 until a rebuild heals it
        }
        return "ready".equals(details.get("state")) ? ComponentHealth.ok(details) : ComponentHealth.degraded(details);
    }

    private static ComponentHealth workersHealth(EmbeddingWorkers workers) {
        List<WorkerState> states = workers.states();
        QueueCounts queue = workers.queue();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("workers", states.size());
        details.put("stale", states.stream().filter(WorkerState::stale).count());
        details.put("pending", queue.pending());
        details.put("failed", queue.failed());
        details.put("paused", workers.paused());
        boolean anyStale = states.stream().anyMatch(WorkerState::stale);
        return anyStale ? ComponentHealth.degraded(details) : ComponentHealth.ok(details);
    }

    private static Map<String, Object> telemetrySnapshot(EmbeddingWorkers workers, Operations operations, Clock clock) {
        QueueCounts queue = workers.queue();
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("at", dev.chl.common.Times.format(clock.instant()));
        snapshot.put("queue", Map.of("pending", queue.pending(), "failed", queue.failed(), "draining", workers.draining()));
        snapshot.put("workers", workers.states().stream().map(w -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", w.id());
            m.put("status", w.status());
            m.put("processed", w.processed());
            m.put("failed", w.failed());
            m.put("last_heartbeat_at", dev.chl.common.Times.format(w.lastHeartbeatAt()));
            m.put("stale", w.stale());
            return m;
        }).toList());
        snapshot.put("jobs", Map.of("running", operations.runningJobs()));
        return snapshot;
    }

    private static Metrics metrics(EmbeddingWorkers workers, Operations operations, Database database) {
        Metrics metrics = new Metrics();
        metrics.gauge("chl_queue_pending", "entries waiting for an embedding", () -> workers.queue().pending());
        metrics.gauge("chl_queue_failed", "entries whose embedding failed", () -> workers.queue().failed());
        // One series per worker id that has embedded anything, including workers started after start-up (a count
        // raised live); registering an existing series again is a no-op.
        metrics.beforeScrape(() -> workers.embeddedTotals().keySet().forEach(id -> metrics.counter("chl_worker_embedded_total",
                "entries embedded by a worker", () -> workers.embeddedTotals().getOrDefault(id, 0L), "worker", id)));
        for (dev.chl.ops.JobStatus status : dev.chl.ops.JobStatus.values()) {
            metrics.gauge("chl_jobs", "jobs in job_history by status", () -> operations.countByStatus(status), "status", status.wire());
        }
        return metrics;
    }

    @Override
    public void close() {
        // Once: closing a closed server (a test that stops it and then leaves its try block) must not close the parts twice.
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeAll(closeOrder);
    }

    private static void closeAll(List<AutoCloseable> parts) {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", part.getClass().getSimpleName(), e);
            }
        }
    }
}
