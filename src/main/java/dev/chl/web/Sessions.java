package dev.chl.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions, kept in memory: a restart signs everyone out, which is the safe direction. Every browser gets a
 * session (it carries the CSRF token); with an access token configured a session must also log in before it sees a page.
 */
final class Sessions {
    static final Duration IDLE_LIMIT = Duration.ofHours(12);
    static final int MAX_SESSIONS = 10_000;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    /** One browser's session; {@code csrf} is sent back with every console form and request. */
    static final class Session {
        final String id;
        final String csrf;
        final boolean authenticated;
        volatile Instant lastSeen;
        /** Whether the browser ever came back with this session: a flood of cookieless requests never does. */
        volatile boolean returned;
        /** A toast sent with a redirect, shown by the next page this session loads ({level, message}), or null. */
        final java.util.concurrent.atomic.AtomicReference<java.util.Map<String, Object>> flash =
                new java.util.concurrent.atomic.AtomicReference<>();

        Session(String id, String csrf, boolean authenticated, Instant lastSeen) {
            this.id = id;
            this.csrf = csrf;
            this.authenticated = authenticated;
            this.lastSeen = lastSeen;
        }
    }

    /** The live session with this id, or null when it is unknown or idle too long. */
    Session find(String id) {
        if (id == null) {
            return null;
        }
        Session session = byId.get(id);
        if (session == null) {
            return null;
        }
        Instant now = clock.instant();
        if (session.lastSeen.plus(IDLE_LIMIT).isBefore(now)) {
            byId.remove(id);
            return null;
        }
        session.lastSeen = now;
        session.returned = true;
        return session;
    }

    Session create(boolean authenticated) {
        if (byId.size() >= MAX_SESSIONS) {
            evictIdle();
        }
        Session session = new Session(randomToken(), randomToken(), authenticated, clock.instant());
        byId.put(session.id, session);
        return session;
    }

    /** Replaces a session after login, so an id seen before login is worth nothing after it. */
    Session upgrade(Session old) {
        if (old != null) {
            byId.remove(old.id);
        }
        return create(true);
    }

    void end(Session session) {
        if (session != null) {
            byId.remove(session.id);
        }
    }

    /**
     * Drops idle sessions; if that is not enough, drops sessions not signed in first, then ones whose browser never
     * came back, each least recently seen first. Anyone can make sessions by the thousand with cookieless requests (and
     * send each cookie back once); ranked by last use alone, such a flood signed every real user out. Only a holder of
     * the token can make signed-in sessions.
     */
    private void evictIdle() {
        Instant cutoff = clock.instant().minus(IDLE_LIMIT);
        byId.values().removeIf(s -> s.lastSeen.isBefore(cutoff));
        int excess = byId.size() - MAX_SESSIONS + 1;
        if (excess > 0) {
            byId.values().stream()
                    .sorted(java.util.Comparator.comparing((Session s) -> s.authenticated)
                            .thenComparing(s -> s.returned)
                            .thenComparing(s -> s.lastSeen))
                    .limit(excess).toList()
                    .forEach(s -> byId.remove(s.id));
        }
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
