package dev.chl.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** All SQL for {@code entry_vectors}: one stored embedding per entry, tagged with its model. */
public final class VectorTable {
    private final Handle handle;

    VectorTable(Handle handle) {
        this.handle = handle;
    }

    public void upsert(String entryId, String modelId, float[] vector, String textSha256, String embeddedAt) {
        delete(entryId);
        handle.createUpdate("""
                        INSERT INTO entry_vectors (entry_id, model_id, dimension, vector, text_sha256, embedded_at)
                        VALUES (:entry_id, :model_id, :dimension, :vector, :text_sha256, :embedded_at)""")
                .bind("entry_id", entryId)
                .bind("model_id", modelId)
                .bind("dimension", vector.length)
                .bind("vector", encode(vector))
                .bind("text_sha256", textSha256)
                .bind("embedded_at", embeddedAt)
                .execute();
    }

    public void delete(String entryId) {
        handle.createUpdate("DELETE FROM entry_vectors WHERE entry_id = :id").bind("id", entryId).execute();
    }

    /** The vectors made by {@code modelId} for the given entries; entries without one are absent from the map. */
    public Map<String, float[]> forIds(String modelId, List<String> ids) {
        Map<String, float[]> vectors = new HashMap<>();
        if (ids.isEmpty()) {
            return vectors;
        }
        handle.createQuery("SELECT entry_id, vector FROM entry_vectors WHERE model_id = :model AND entry_id IN (<ids>)")
                .bind("model", modelId)
                .bindList("ids", ids)
                .map((rs, ctx) -> Map.entry(rs.getString("entry_id"), decode(rs.getBytes("vector"))))
                .forEach(e -> vectors.put(e.getKey(), e.getValue()));
        return vectors;
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
