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
import dev.chl.http.JsonBodies;
import dev.chl.http.TokenGuard;
import dev.chl.model.DuplicateReport;
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
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.core.StreamReadFeature;

/**
 * The composition root: builds every part in dependency order, starts the HTTP server last (so no request sees a
 * half-built service) and closes everything in reverse order.
 */
public final class App implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private final Config config;
    private final Database database;
    private final Scheduler scheduler;
    private final HttpServer http;
    private final List<AutoCloseable> closeOrder = new ArrayList<>();

    private App(Config config, Clock clock) {
        this.config = config;
        Path dataDir = createDataDir(config.dataDir());
        JsonMapper json = jsonMapper();

        this.database = Database.openSqlite(dataDir.resolve("chl.db"));
        closeOrder.addFirst(database);
        database.migrate();

        AuditLog audit = new AuditLog(database, json, clock);
        SettingsService settings = new SettingsService(database, audit, json, clock);
        CategoryService categories = new CategoryService(database, audit, clock);
        EntryService entries = new EntryService(database, audit, clock,
                (kind, category, title, body) -> new DuplicateReport(List.of(), "duplicate check not available yet"),
                change -> { });
        new LibrarySeed(database, audit, clock).applyIfNeeded();

        this.scheduler = new Scheduler();
        closeOrder.addFirst(scheduler);
        scheduler.every("audit-prune", Duration.ZERO, Duration.ofHours(1),
                new AuditPruneTask(audit, () -> settings.retention().audit()));

        HealthService health = new HealthService().add("database", () -> databaseHealth(database));
        JsonBodies bodies = new JsonBodies(json);
        this.http = new HttpServer(config.host(), config.port(), new TokenGuard(config.apiToken()), json, List.of(
                new HealthApi(health),
                new CategoriesApi(categories, bodies),
                new EntriesApi(entries, bodies),
                new AuditApi(audit, new AuditExport(audit, json)),
                new SettingsApi(settings, bodies)));
        closeOrder.addFirst(http);
    }

    /** Builds and starts a server; on failure everything already opened is closed again. */
    public static App start(Config config, Clock clock) {
        config.validated();
        App app = null;
        try {
            app = new App(config, clock);
            app.http.start();
            LOG.info("CHL listening on http://{}:{} (data in {})", config.host(), app.port(), config.dataDir());
            return app;
        } catch (RuntimeException e) {
            if (app != null) {
                app.close();
            }
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public Config config() {
        return config;
    }

    static JsonMapper jsonMapper() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
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

    @Override
    public void close() {
        for (AutoCloseable part : closeOrder) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", part.getClass().getSimpleName(), e);
            }
        }
    }
}
