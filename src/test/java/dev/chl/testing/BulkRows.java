package dev.chl.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes many experiences straight into a server's SQLite file in one transaction (as BenchData does through the
 * store), for tests that need a large library quickly — e.g. an index rebuild slow enough to cancel.
 */
public final class BulkRows {
    private static final String PLAYBOOK = "Measure the slow path first, then change one thing at a time and measure again. "
            .repeat(12);

    private BulkRows() {}

    /**
     * Inserts {@code n} experiences into {@code category} with ids {@code EXP-<category>-20260101-<prefix><n>} and the
     * given embedding status; returns the ids.
     */
    public static List<String> insertExperiences(Path dbFile, String category, String prefix, int n, String embeddingStatus) {
        List<String> ids = new ArrayList<>(n);
        String at = "2026-01-01T00:00:00.000Z";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile.toAbsolutePath())) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 15000");
            }
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement("""
                    INSERT INTO experiences (id, category_code, section, title, playbook, context, source, sync_status, author,
                                             embedding_status, created_at, updated_at, synced_at, exported_at)
                    VALUES (?, ?, 'useful', ?, ?, NULL, 'local', 'pending', 'bulk', ?, ?, ?, NULL, NULL)""")) {
                for (int i = 0; i < n; i++) {
                    String id = String.format("EXP-%s-20260101-%s%07d", category, prefix, i);
                    st.setString(1, id);
                    st.setString(2, category);
                    st.setString(3, "Bulk heuristic " + prefix + " number " + i + " about caching and retries");
                    st.setString(4, PLAYBOOK + " Variant " + i + ".");
                    st.setString(5, embeddingStatus);
                    st.setString(6, at);
                    st.setString(7, at);
                    st.addBatch();
                    ids.add(id);
                    if (i % 5000 == 4999) {
                        st.executeBatch();
                    }
                }
                st.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("bulk insert failed", e);
        }
        return ids;
    }
}
