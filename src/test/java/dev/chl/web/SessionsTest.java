package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-11-27T10:00:00Z"));
    private final Sessions sessions = new Sessions(clock);

    @Test
    void aFloodOfSessionsThatNeverComeBackDoesNotSignARealUserOut() {
        Sessions.Session signedIn = sessions.create(true);
        assertThat(sessions.find(signedIn.id)).isNotNull();
        Sessions.Session browsing = sessions.create(false);
        assertThat(sessions.find(browsing.id)).isNotNull();
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < Sessions.MAX_SESSIONS + 50; i++) {
            sessions.create(false);
        }
        assertThat(sessions.find(signedIn.id)).as("the signed-in user").isNotNull();
        assertThat(sessions.find(browsing.id)).as("a browser that came back").isNotNull();
    }

    @Test
    void aFloodThatSendsItsCookiesBackStillCannotEvictASignedInUser() {
        java.util.List<Sessions.Session> flood = new java.util.ArrayList<>();
        for (int i = 0; i < Sessions.MAX_SESSIONS - 1; i++) {
            flood.add(sessions.create(false));
        }
        flood.forEach(s -> sessions.find(s.id));
        clock.advance(Duration.ofMinutes(1));
        Sessions.Session justLoggedIn = sessions.upgrade(null);
        for (int i = 0; i < 50; i++) {
            sessions.find(sessions.create(false).id);
        }
        assertThat(sessions.find(justLoggedIn.id)).as("signed in before its browser came back").isNotNull();
    }

    @Test
    void idleSessionsExpire() {
        Sessions.Session s = sessions.create(true);
        clock.advance(Sessions.IDLE_LIMIT.plusSeconds(1));
        assertThat(sessions.find(s.id)).isNull();
    }
}
