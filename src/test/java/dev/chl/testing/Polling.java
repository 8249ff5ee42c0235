package dev.chl.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for something that happens in the background (workers, jobs) without fixed sleeps. */
public final class Polling {
    private Polling() {}

    /** Polls {@code condition} every 20 ms; fails with {@code what} after {@code timeout}. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            sleep(20);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
