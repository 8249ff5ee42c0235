package dev.chl.testing;

import dev.chl.embed.Embedder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny deterministic embedder for worker tests. While the gate is closed, every batch ({@link #embedDocuments})
 * blocks inside the model, so a test can hold a batch "in flight"; a text containing {@code FAIL} cannot be embedded.
 * {@link #slowDown} makes every text of a batch cost time, like long texts in the real model.
 */
public final class GatedEmbedder implements Embedder {
    public static final int DIMENSION = 8;

    private final Object lock = new Object();
    private boolean gateOpen = true;
    private int inFlight;
    private final AtomicInteger batches = new AtomicInteger();
    private volatile long nanosPerText;

    @Override
    public String modelId() {
        return "test-gated-8";
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    public void closeGate() {
        synchronized (lock) {
            gateOpen = false;
        }
    }

    public void openGate() {
        synchronized (lock) {
            gateOpen = true;
            lock.notifyAll();
        }
    }

    /** From now on each text of a batch takes {@code perText} to embed. */
    public void slowDown(java.time.Duration perText) {
        nanosPerText = perText.toNanos();
    }

    /** Batches inside the model right now. */
    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /** Batches started so far. */
    public int batches() {
        return batches.get();
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        batches.incrementAndGet();
        synchronized (lock) {
            inFlight++;
            try {
                while (!gateOpen) {
                    lock.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in the model", e);
            } finally {
                inFlight--;
            }
        }
        if (nanosPerText > 0) {
            try {
                Thread.sleep(java.time.Duration.ofNanos(nanosPerText * texts.size()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in the model", e);
            }
        }
        List<float[]> out = new ArrayList<>();
        for (String text : texts) {
            out.add(embedDocument(text));
        }
        return out;
    }

    @Override
    public float[] embedDocument(String text) {
        if (text.contains("FAIL")) {
            throw new IllegalArgumentException("this text cannot be embedded (test)");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        float[] v = new float[DIMENSION];
        for (int i = 0; i < bytes.length; i++) {
            v[i % DIMENSION] += bytes[i];
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float inv = (float) (1 / Math.max(1e-9, Math.sqrt(norm)));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    @Override
    public float[] embedQuery(String text) {
        return embedDocument(text);
    }
}
