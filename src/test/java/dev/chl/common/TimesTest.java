package dev.chl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {
    @Test
    void formatsWithExactlyThreeFractionDigitsSoTextSortsAsTime() {
        assertThat(Times.format(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000Z");
        assertThat(Times.format(Instant.parse("2026-01-02T03:04:05.123456789Z"))).isEqualTo("2026-01-02T03:04:05.123Z");
        assertThat(Times.format(null)).isNull();
        String earlier = Times.format(Instant.parse("2026-01-02T03:04:05.9Z"));
        String later = Times.format(Instant.parse("2026-01-02T03:04:06Z"));
        assertThat(earlier.compareTo(later)).isNegative();
    }

    @Test
    void sinceTakesADateAsTheStartOfThatUtcDay() {
        assertThat(Times.parseSince("since", "2026-11-01")).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(Times.parseSince("since", "2026-11-01T08:30:00Z")).isEqualTo(Instant.parse("2026-11-01T08:30:00Z"));
        assertThatThrownBy(() -> Times.parseSince("since", "2026-13-01")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Times.parseSince("since", "yesterday")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("2026-01-31");
    }

    @Test
    void parseInputExplainsTheExpectedForm() {
        assertThat(Times.parseInput("since", " 2026-01-31T12:00:00Z ")).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThatThrownBy(() -> Times.parseInput("since", "2026-01-31"))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors().getFirst().field()).isEqualTo("since"))
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void aNextVersionIsAlwaysAtLeastAMillisecondLater() {
        Instant previous = Instant.parse("2026-01-02T03:04:05.123Z");
        assertThat(Times.nextVersion(previous, Instant.parse("2026-01-02T03:04:05.123999Z"))).as("same millisecond")
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.124Z"));
        assertThat(Times.nextVersion(previous, Instant.parse("2026-01-02T03:04:04Z"))).as("clock stepped back")
                .isEqualTo(Instant.parse("2026-01-02T03:04:05.124Z"));
        assertThat(Times.nextVersion(previous, Instant.parse("2026-01-02T03:04:06.5009Z"))).as("later: now, to the millisecond")
                .isEqualTo(Instant.parse("2026-01-02T03:04:06.500Z"));
        assertThat(Times.nextVersion(null, Instant.parse("2026-01-02T03:04:06.5009Z"))).isEqualTo(Instant.parse("2026-01-02T03:04:06.500Z"));
    }

    /** The stored form of a time never rewrites its year (yyyy is the year of an era: year -1, 2 BC, printed as 0002). */
    @Test
    void aTimeIsStoredWithItsOwnYear() {
        assertThat(Times.format(Instant.parse("-0001-01-01T00:00:00Z"))).isEqualTo("-0001-01-01T00:00:00.000Z");
        assertThat(Times.format(Instant.parse("0001-01-01T00:00:00Z"))).isEqualTo("0001-01-01T00:00:00.000Z");
    }
}
