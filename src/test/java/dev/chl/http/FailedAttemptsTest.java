package dev.chl.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailedAttemptsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final FailedAttempts attempts = new FailedAttempts(clock);

    @Test
    void anAddressIsBlockedAtTheLimitUntilItsMinuteEnds() {
        for (int i = 1; i < FailedAttempts.LIMIT; i++) {
            attempts.record("10.0.0.1");
        }
        assertThat(attempts.blockedForSeconds("10.0.0.1")).as("one below the limit").isZero();

        clock.advance(Duration.ofSeconds(20));
        attempts.record("10.0.0.1");

        assertThat(attempts.blockedForSeconds("10.0.0.1")).as("the window started at the first failure").isEqualTo(40);
        assertThat(attempts.blockedForSeconds("10.0.0.2")).as("other addresses are not affected").isZero();
        clock.advance(Duration.ofSeconds(39));
        assertThat(attempts.blockedForSeconds("10.0.0.1")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(attempts.blockedForSeconds("10.0.0.1")).isZero();
    }

    @Test
    void aNewWindowStartsAfreshAfterTheOldOneEnds() {
        for (int i = 0; i < FailedAttempts.LIMIT - 1; i++) {
            attempts.record("10.0.0.1");
        }
        clock.advance(FailedAttempts.WINDOW);

        attempts.record("10.0.0.1");

        assertThat(attempts.blockedForSeconds("10.0.0.1")).as("the earlier failures no longer count").isZero();
        for (int i = 0; i < FailedAttempts.LIMIT - 1; i++) {
            attempts.record("10.0.0.1");
        }
        assertThat(attempts.blockedForSeconds("10.0.0.1")).as("a full window counted from the first failure of the new one")
                .isEqualTo(60);
    }
}
