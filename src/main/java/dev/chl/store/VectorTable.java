package dev.chl.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * All SQL for {@code entry_vectors}: one stored embedding per entry, tagged with its model. Lookups by id filter the
 * model in Java: with {@code model_id = ?} in the WHERE clause SQLite picks the model index, which matches every row,
 * and scans the table instead of probing the primary key.
 */
public final class VectorTable {
    private final Handle handle;

    VectorTable(Handle handle) {
        this.handle = handle;
    }

    /** @param pieces the vectors of the entry's pieces (see {@code Pieces}), or null when it has none yet */
    public void upsert(String entryId, String modelId, float[] vector, float[][] pieces, String textSha256, String embeddedAt) {
        delete(entryId);
        handle.createUpdate("""
                        INSERT INTO entry_vectors (entry_id, model_id, dimension, vector, pieces, text_sha256, embedded_at)
                        VALUES (:entry_id, :model_id, :dimension, :vector, :pieces, :text_sha256, :embedded_at)""")
                .bind("entry_id", entryId)
                .bind("model_id", modelId)
                .bind("dimension", vector.length)
                .bind("vector", encode(vector))
                .bind("pieces", pieces == null ? null : PackedVectors.encode(pieces))
                .bind("text_sha256", textSha256)
                .bind("embedded_at", embeddedAt)
                .execute();
    }

    public void delete(String entryId) {
        handle.createUpdate("DELETE FROM entry_vectors WHERE entry_id = :id").bind("id", entryId).execute();
    }

    /** The vectors made by {@code modelId} for the given entries; entries without one are absent from the map. */
    public Map<String, float[]> forIds(String modelId, List<String> ids) {
        return byIds(modelId, ids, "vector", rs -> decode(rs.getBytes("vector")));
    }

    /**
     * The whole-text and piece vectors made by {@code modelId} for the given entries (pieces empty for a row embedded
     * before pieces existed); entries without a vector are absent.
     */
    public Map<String, StoredVectors> withPieces(String modelId, List<String> ids) {
        return byIds(modelId, ids, "text_sha256, vector, pieces", rs -> {
            byte[] pieces = rs.getBytes("pieces");
            return new StoredVectors(rs.getString("entry_id"), rs.getString("text_sha256"), decode(rs.getBytes("vector")),
                    pieces == null ? new float[0][] : PackedVectors.decode(pieces));
        });
    }

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** The rows of the given entries made by {@code modelId}, probed by primary key (see the class comment). */
    private <T> Map<String, T> byIds(String modelId, List<String> ids, String columns, Row<T> row) {
        Map<String, T> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        handle.createQuery("SELECT entry_id, model_id, " + columns + " FROM entry_vectors WHERE entry_id IN (<ids>)")
                .bindList("ids", ids)
                .scanResultSet((results, ctx) -> {
                    ResultSet rs = results.get();
                    while (rs.next()) {
                        if (rs.getString("model_id").equals(modelId)) {
                            out.put(rs.getString("entry_id"), row.map(rs));
                        }
                    }
                    return null;
                });
        return out;
    }

    public long count(String modelId) {
        return handle.createQuery("SELECT count(*) FROM entry_vectors WHERE model_id = :model").bind("model", modelId)
                .mapTo(Long.class).one();
    }

    /** Drops vectors of other models (after a model change they can never be used again). */
    public int deleteOtherModels(String modelId) {
        return handle.createUpdate("DELETE FROM entry_vectors WHERE model_id <> :model").bind("model", modelId).execute();
    }

    static byte[] encode(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] decode(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
