package dev.chl.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** All SQL for the {@code settings} table. */
public final class SettingsTable {
    private static final String COLUMNS = "key, value_json, checksum, validated_at, notes, updated_at";

    private final Handle handle;

    SettingsTable(Handle handle) {
        this.handle = handle;
    }

    public Optional<SettingRow> find(String key) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM settings WHERE key = :key")
                .bind("key", key)
                .map((rs, ctx) -> new SettingRow(rs.getString("key"), rs.getString("value_json"), rs.getString("checksum"),
                        rs.getString("validated_at"), rs.getString("notes"), rs.getString("updated_at")))
                .findOne();
    }

    public List<String> keys() {
        return handle.createQuery("SELECT key FROM settings ORDER BY key").mapTo(String.class).list();
    }

    /** Inserts or replaces the row for {@code row.key()}. */
    public void put(SettingRow row) {
        int updated = handle.createUpdate("""
                        UPDATE settings SET value_json = :value_json, checksum = :checksum, validated_at = :validated_at,
                               notes = :notes, updated_at = :updated_at WHERE key = :key""")
                .bindMap(columns(row))
                .execute();
        if (updated == 0) {
            handle.createUpdate("INSERT INTO settings (" + COLUMNS + ") VALUES (:key, :value_json, :checksum, :validated_at, :notes, :updated_at)")
                    .bindMap(columns(row))
                    .execute();
        }
    }

    private static java.util.Map<String, Object> columns(SettingRow row) {
        java.util.Map<String, Object> values = new java.util.HashMap<>();
        values.put("key", row.key());
        values.put("value_json", row.valueJson());
        values.put("checksum", row.checksum());
        values.put("validated_at", row.validatedAt());
        values.put("notes", row.notes());
        values.put("updated_at", row.updatedAt());
        return values;
    }
}
