package dev.chl.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JDBC on a server's SQLite file, beside the running server: for arranging states the API cannot produce
 * (global entries, old audit rows, failing triggers) and for checking what was really stored.
 */
public final class Sqlite {
    private final Path file;

    public Sqlite(Path file) {
        this.file = file;
    }

    public static Sqlite of(TestServer server) {
        return new Sqlite(server.databaseFile());
    }

    /** Runs one statement with positional parameters; returns the update count. */
    public int exec(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + sql, e);
        }
    }

    /** Runs DDL or other parameterless SQL. */
    public void script(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + sql, e);
        }
    }

    public List<Map<String, Object>> rows(String sql, Object... params) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + sql, e);
        }
    }

    public long count(String sql, Object... params) {
        List<Map<String, Object>> rows = rows(sql, params);
        return ((Number) rows.getFirst().values().iterator().next()).longValue();
    }

    /** Inserts an entry as an import would leave it: {@code global/synced}, with synced_at set. */
    public void insertGlobalExperience(String id, String categoryCode, String title, String embeddingStatus, String at) {
        exec("""
                INSERT INTO experiences (id, category_code, section, title, playbook, context, source, sync_status, author,
                                         embedding_status, created_at, updated_at, synced_at, exported_at)
                VALUES (?, ?, 'useful', ?, 'Imported playbook text.', NULL, 'global', 'synced', 'curator', ?, ?, ?, ?, NULL)""",
                id, categoryCode, title, embeddingStatus, at, at, at);
    }

    public void insertAudit(String timestamp, String actor, String source, String action, String detailsJson) {
        exec("INSERT INTO audit_log (timestamp, actor, source, action, details_json) VALUES (?, ?, ?, ?, ?)",
                timestamp, actor, source, action, detailsJson);
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 15000");
            st.execute("PRAGMA foreign_keys = ON");
        }
        return c;
    }

    private static void bind(PreparedStatement st, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
    }
}
