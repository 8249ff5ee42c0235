package dev.chl.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Several unit vectors packed as bytes: count, dimension, then per vector a float scale and one signed byte per
 * component. The piece vectors only re-rank a few candidates, where 8-bit components change no ordering that
 * matters, and they take a quarter of the space of floats in the database.
 */
final class PackedVectors {
    private PackedVectors() {}

    static byte[] encode(float[][] vectors) {
        int dimension = vectors.length == 0 ? 0 : vectors[0].length;
        ByteBuffer out = ByteBuffer.allocate(8 + vectors.length * (4 + dimension)).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(vectors.length).putInt(dimension);
        for (float[] v : vectors) {
            float max = 0;
            for (float x : v) {
                max = Math.max(max, Math.abs(x));
            }
            float scale = max == 0 ? 1 : max / 127f;
            out.putFloat(scale);
            for (float x : v) {
                out.put((byte) Math.round(x / scale));
            }
        }
        return out.array();
    }

    static float[][] decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[][] vectors = new float[in.getInt()][];
        int dimension = in.getInt();
        for (int i = 0; i < vectors.length; i++) {
            float scale = in.getFloat();
            float[] v = new float[dimension];
            for (int j = 0; j < dimension; j++) {
                v[j] = in.get() * scale;
            }
            vectors[i] = v;
        }
        return vectors;
    }
}
