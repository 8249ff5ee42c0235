package dev.chl.testing;

import dev.chl.embed.Embedder;
import dev.chl.embed.EmbeddingModels;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Loads each embedding model once per test JVM: every test server shares it (loading takes about a second). */
public final class SharedModels {
    private static final Map<String, Embedder> LOADED = new ConcurrentHashMap<>();

    private SharedModels() {}

    public static Embedder get(String modelId) {
        return LOADED.computeIfAbsent(modelId, EmbeddingModels::load);
    }
}
