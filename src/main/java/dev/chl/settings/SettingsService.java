package dev.chl.settings;

import dev.chl.audit.AuditLog;
import dev.chl.common.Input;
import dev.chl.common.Times;
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

    /** Every section with its current value; never holds secrets. */
    public Map<String, Object> describe() {
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put(RETENTION, retention());
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
