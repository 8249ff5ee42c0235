package dev.chl.http;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wrong access tokens counted per client address in fixed windows of a minute. An address that reaches the limit in
 * its window is refused until the window ends, whatever it presents: guessing a token then takes years instead of
 * hours, and the refusal says how long to wait. (Loopback clients share one address, so a local process guessing
 * locks out local tools for at most a minute.)
 */
final class FailedAttempts {
    static final int LIMIT = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Bounds the memory a flood of addresses can take: expired windows are dropped past this many. */
    private static final int PRUNE_ABOVE = 10_000;

    private record Window(long startMillis, int count) {}

    private final ConcurrentHashMap<String, Window> byAddress = new ConcurrentHashMap<>();
    private final Clock clock;

    FailedAttempts(Clock clock) {
        this.clock = clock;
    }

    void record(String address) {
        long now = clock.millis();
        byAddress.merge(address, new Window(now, 1),
                (old, first) -> expired(old, now) ? first : new Window(old.startMillis(), old.count() + 1));
        if (byAddress.size() > PRUNE_ABOVE) {
            byAddress.values().removeIf(w -> expired(w, now));
        }
    }

    /** Seconds until {@code address} may try again; 0 when it is not blocked. */
    long blockedForSeconds(String address) {
        Window w = byAddress.get(address);
        long now = clock.millis();
        if (w == null || w.count() < LIMIT || expired(w, now)) {
            return 0;
        }
        return Math.max(1, (w.startMillis() + WINDOW.toMillis() - now + 999) / 1000);
    }

    private static boolean expired(Window w, long now) {
        return now - w.startMillis() >= WINDOW.toMillis();
    }
}
