package dev.chl.embed;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/** An {@link Embedder} over a langchain4j in-process ONNX model; vectors are L2-normalised here so dot product = cosine. */
final class OnnxEmbedder implements Embedder {
    private final String modelId;
    private final int dimension;
    private final String queryPrefix;
    private final EmbeddingModel model;

    OnnxEmbedder(String modelId, int dimension, String queryPrefix, EmbeddingModel model) {
        this.modelId = modelId;
        this.dimension = dimension;
        this.queryPrefix = queryPrefix;
        this.model = model;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[] embedDocument(String text) {
        return normalise(model.embed(text).content().vector());
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        var segments = texts.stream().map(TextSegment::from).toList();
        var embeddings = model.embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        embeddings.forEach(e -> vectors.add(normalise(e.vector())));
        return vectors;
    }

    @Override
    public float[] embedQuery(String text) {
        return normalise(model.embed(queryPrefix + text).content().vector());
    }

    static float[] normalise(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        float norm = (float) Math.sqrt(sum);
        if (norm == 0) {
            return v;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / norm;
        }
        return out;
    }
}
