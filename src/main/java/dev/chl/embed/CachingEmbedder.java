package dev.chl.embed;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers the last few document vectors by text hash. A create embeds its text for the duplicate check; the worker
 * that then embeds the same text for the index gets the vector from here instead of running the model twice.
 */
public final class CachingEmbedder implements Embedder {
    private final Embedder delegate;
    private final Map<String, float[]> recent;

    public CachingEmbedder(Embedder delegate, int capacity) {
        this.delegate = delegate;
        this.recent = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public String modelId() {
        return delegate.modelId();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public float[] embedDocument(String text) {
        String key = sha256(text);
        float[] cached = get(key);
        if (cached != null) {
            return cached;
        }
        float[] vector = delegate.embedDocument(text);
        put(key, vector);
        return vector;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        List<String> missing = new ArrayList<>();
        List<Integer> missingAt = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            float[] cached = get(sha256(texts.get(i)));
            out.add(cached);
            if (cached == null) {
                missing.add(texts.get(i));
                missingAt.add(i);
            }
        }
        List<float[]> computed = delegate.embedDocuments(missing);
        // Not remembered: a batch is the workers' call (texts and their pieces), whose vectors are not asked for again.
        for (int i = 0; i < computed.size(); i++) {
            out.set(missingAt.get(i), computed.get(i));
        }
        return out;
    }

    @Override
    public float[] embedQuery(String text) {
        return delegate.embedQuery(text);
    }

    private synchronized float[] get(String key) {
        return recent.get(key);
    }

    private synchronized void put(String key, float[] vector) {
        recent.put(key, vector);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
