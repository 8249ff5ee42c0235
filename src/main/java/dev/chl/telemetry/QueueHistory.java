package dev.chl.telemetry;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/** The last few minutes of queue sizes, sampled by the telemetry task, for the console's live chart. */
public final class QueueHistory {
    public static final int SAMPLES = 120;

    /** One sample of the queue. */
    public record Sample(Instant at, long pending, long failed) {}

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    public synchronized void record(Sample sample) {
        samples.addLast(sample);
        if (samples.size() > SAMPLES) {
            samples.removeFirst();
        }
    }

    /** Oldest first. */
    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }
}
