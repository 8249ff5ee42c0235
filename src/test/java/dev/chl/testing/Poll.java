package dev.chl.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waits for a condition by polling (never a fixed sleep): fails with the last value seen when it does not come. */
public final class Poll {
    private static final long EVERY_MS = 20;

    private Poll() {}

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition::getAsBoolean, ok -> ok);
    }

    /** Polls {@code value} until {@code done} accepts it; returns that value. */
    public static <T> T until(String what, Duration timeout, Supplier<T> value, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last;
        while (true) {
            last = value.get();
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; last seen: " + last);
            }
            sleep(EVERY_MS);
        }
    }

    /** Asserts that {@code condition} stays true for the whole {@code period} (checked often). */
    public static void holds(String what, Duration period, BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("expected to hold for " + period.toMillis() + " ms but did not: " + what);
            }
            sleep(EVERY_MS);
        } while (System.nanoTime() < end);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
