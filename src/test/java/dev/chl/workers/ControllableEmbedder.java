package dev.chl.workers;

import dev.chl.embed.Embedder;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The real model with two handles for tests: a gate that holds batch embedding (the worker's call) until opened, and
 * a marker that makes every text containing it fail, like a model crash on that input.
 */
final class ControllableEmbedder implements Embedder {
    private final Embedder real;
    private volatile CountDownLatch gate;
    private volatile String failMarker;
    /** One permit per batch call that has started (and, with the gate closed, is now waiting). */
    final Semaphore batchesEntered = new Semaphore(0);

    ControllableEmbedder(Embedder real) {
        this.real = real;
    }

    void closeGate() {
        batchesEntered.drainPermits();
        gate = new CountDownLatch(1);
    }

    void openGate() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    void failTextsContaining(String marker) {
        failMarker = marker;
    }

    boolean awaitBatchEntered() throws InterruptedException {
        return batchesEntered.tryAcquire(10, TimeUnit.SECONDS);
    }

    @Override
    public String modelId() {
        return real.modelId();
    }

    @Override
    public int dimension() {
        return real.dimension();
    }

    @Override
    public float[] embedDocument(String text) {
        failIfMarked(text);
        return real.embedDocument(text);
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        batchesEntered.release();
        CountDownLatch g = gate;
        if (g != null) {
            try {
                if (!g.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        texts.forEach(this::failIfMarked);
        return real.embedDocuments(texts);
    }

    @Override
    public float[] embedQuery(String text) {
        return real.embedQuery(text);
    }

    private void failIfMarked(String text) {
        String marker = failMarker;
        if (marker != null && text.contains(marker)) {
            throw new IllegalStateException("simulated model failure on '" + marker + "'");
        }
    }
}
