package dev.chl.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The tests' one way to wait for something that happens in the background (workers, jobs, refreshes): polls a
 * condition every 20 ms until it holds or a timeout passes, instead of fixed sleeps. A supplier that throws counts as
 * "not yet"; on timeout the failure names what was awaited, the last value seen and the last exception.
 */
public final class Await {
    public static final Duration POLL = Duration.ofMillis(20);

    private Await() {}

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, condition::getAsBoolean, ok -> ok);
    }

    /** Polls {@code value} until {@code ok} accepts it and returns that value. */
    public static <T> T until(String what, Duration timeout, Supplier<T> value, Predicate<? super T> ok) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (true) {
            try {
                last = value.get();
                lastError = null;
                if (ok.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + "; last value: " + last);
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            sleep(POLL);
        }
    }

    /** Checks that {@code condition} holds on every poll for the whole {@code period} (e.g. "stays pending"). */
    public static void holdsFor(String what, Duration period, BooleanSupplier condition) {
        long end = System.nanoTime() + period.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("expected " + what + " to hold for " + period.toMillis() + " ms, but it stopped holding");
            }
            sleep(POLL);
        } while (System.nanoTime() < end);
    }

    public static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
