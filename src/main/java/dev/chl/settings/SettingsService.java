package dev.chl.settings;

import dev.chl.audit.AuditLog;
import dev.chl.common.Input;
import dev.chl.common.Times;
import dev.chl.embed.EmbeddingModels;
import dev.chl.model.Actor;
import dev.chl.store.Database;
import dev.chl.store.SettingRow;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * Settings facade: each section is a JSON value under one key, validated before it is saved, every change audited.
 * Reads go to the database each time (a primary-key lookup), so every process sees the same values.
 */
public final class SettingsService {
    static final String RETENTION = "retention";
    static final String SEARCH = "search";
    static final String WORKERS = "workers";
    static final String MODEL = "model";
    static final String OPERATIONS = "operations";

    private final Database database;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;

    public SettingsService(Database database, AuditLog audit, JsonMapper json, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    public RetentionSettings retention() {
        return read(RETENTION, RetentionSettings.class, RetentionSettings.DEFAULTS);
    }

    /** Changes some retention windows; absent fields keep their value. */
    public RetentionSettings updateRetention(Actor actor, Map<String, ?> body) {
        Input in = new Input(body).allowOnly(Set.of("audit_days", "worker_metrics_hours"));
        Integer auditDays = in.integer("audit_days", 1, 3650);
        Integer metricsHours = in.integer("worker_metrics_hours", 1, 24 * 30);
        in.check();
        RetentionSettings current = retention();
        RetentionSettings next = new RetentionSettings(
                auditDays == null ? current.auditDays() : auditDays,
                metricsHours == null ? current.workerMetricsHours() : metricsHours);
        save(actor, RETENTION, next);
        return next;
    }

    public SearchSettings search() {
        return read(SEARCH, SearchSettings.class, SearchSettings.DEFAULTS);
    }

    public SearchSettings updateSearch(Actor actor, Map<String, ?> body) {
        Input in = new Input(body).allowOnly(Set.of("too_close_threshold", "related_threshold"));
        Double tooClose = in.decimal("too_close_threshold", 0.01, 1.0);
        Double related = in.decimal("related_threshold", 0.01, 1.0);
        in.check();
        SearchSettings current = search();
        SearchSettings next = new SearchSettings(tooClose == null ? current.tooCloseThreshold() : tooClose,
                related == null ? current.relatedThreshold() : related);
        if (next.relatedThreshold() >= next.tooCloseThreshold()) {
            throw new dev.chl.common.ValidationException("related_threshold",
                    "must be below too_close_threshold (" + next.tooCloseThreshold() + ")");
        }
        save(actor, SEARCH, next);
        return next;
    }

    public OperationsSettings operations() {
        return read(OPERATIONS, OperationsSettings.class, OperationsSettings.DEFAULTS);
    }

    public OperationsSettings updateOperations(Actor actor, Map<String, ?> body) {
        Input in = new Input(body).allowOnly(Set.of("job_timeout_seconds", "telemetry_interval_seconds"));
        Integer timeout = in.integer("job_timeout_seconds", 1, 24 * 60 * 60);
        Integer interval = in.integer("telemetry_interval_seconds", 1, 60);
        in.check();
        OperationsSettings current = operations();
        OperationsSettings next = new OperationsSettings(timeout == null ? current.jobTimeoutSeconds() : timeout,
                interval == null ? current.telemetryIntervalSeconds() : interval);
        save(actor, OPERATIONS, next);
        return next;
    }

    public WorkerSettings workers() {
        return read(WORKERS, WorkerSettings.class, WorkerSettings.DEFAULTS);
    }

    public WorkerSettings updateWorkers(Actor actor, Map<String, ?> body) {
        Input in = new Input(body).allowOnly(Set.of("count", "batch_size", "max_attempts"));
        Integer count = in.integer("count", 1, 8);
        Integer batch = in.integer("batch_size", 1, 256);
        Integer attempts = in.integer("max_attempts", 1, 10);
        in.check();
        WorkerSettings current = workers();
        WorkerSettings next = new WorkerSettings(count == null ? current.count() : count,
                batch == null ? current.batchSize() : batch, attempts == null ? current.maxAttempts() : attempts);
        save(actor, WORKERS, next);
        return next;
    }

    /** The configured embedding model (the default until someone chooses another). */
    public String modelId() {
        return read(MODEL, ModelSettings.class, new ModelSettings(EmbeddingModels.DEFAULT)).modelId();
    }

    /** Chooses the embedding model; it takes effect at the next start (index rebuilt, entries re-embedded). */
    public ModelSettings updateModel(Actor actor, Map<String, ?> body) {
        java.util.List<String> available = EmbeddingModels.available();
        Input in = new Input(body).allowOnly(Set.of("model_id"));
        String model = in.requiredText("model_id", 64);
        if (model != null && !available.contains(model)) {
            in.error("model_id", "unknown model '" + model + "'; use one of " + String.join(", ", available));
        }
        in.check();
        ModelSettings next = new ModelSettings(model);
        save(actor, MODEL, next);
        return next;
    }

    /** Every section with its current value; never holds secrets. */
    public Map<String, Object> describe() {
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put(RETENTION, retention());
        sections.put(SEARCH, search());
        sections.put(WORKERS, workers());
        sections.put(OPERATIONS, operations());
        sections.put(MODEL, Map.of("model_id", modelId(), "available", EmbeddingModels.available(),
                "note", "a change takes effect at the next start: the index is rebuilt and every entry embedded again"));
        return sections;
    }

    private <T> T read(String key, Class<T> type, T fallback) {
        return database.read(tx -> tx.settings().find(key))
                .map(row -> json.readValue(row.valueJson(), type))
                .orElse(fallback);
    }

    private void save(Actor actor, String key, Object value) {
        String now = Times.format(clock.instant());
        String valueJson = json.writeValueAsString(value);
        database.write(tx -> {
            tx.settings().put(new SettingRow(key, valueJson, null, now, null, now));
            audit.record(tx, actor, "settings.update", Map.of("section", key, "value", json.readValue(valueJson, Map.class)));
            return null;
        });
    }
}
