package dev.chl.entries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chl.common.ConflictException;
import dev.chl.model.Actor;
import dev.chl.model.Channel;
import dev.chl.model.DuplicateReport;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.testing.OpsHarness;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every committed edit is a new version (updated_at, the ETag), even when the clock has not moved on. */
class EntryVersionTest {
    private static final Actor EDITOR = new Actor("editor", Channel.API);

    @Test
    void twoEditsInOneMillisecondAreTwoVersionsAndTheOverwrittenOneIsRefused() {
        try (OpsHarness h = new OpsHarness(0)) {
            String id = h.insertPending("Versioned heuristic");
            Instant frozen = Instant.parse("2030-02-02T10:00:00.123456Z");
            EntryService entries = new EntryService(h.database, h.audit, Clock.fixed(frozen, ZoneOffset.UTC),
                    (kind, category, title, body) -> new DuplicateReport(List.of(), ""), change -> { });

            Entry first = entries.update(EDITOR, Kind.EXPERIENCE, id, Map.of("title", "First writer's title"));
            Entry second = entries.update(EDITOR, Kind.EXPERIENCE, id, Map.of("title", "Second writer's title"));

            assertThat(first.updatedAt()).isEqualTo(frozen.truncatedTo(ChronoUnit.MILLIS));
            assertThat(second.updatedAt()).isAfter(first.updatedAt());
            assertThatThrownBy(() -> entries.update(EDITOR, Kind.EXPERIENCE, id, Map.of("context", "made on the first version"),
                    first.updatedAt())).isInstanceOf(ConflictException.class);
            assertThat(entries.get(Kind.EXPERIENCE, id).context()).isNull();
        }
    }

    @Test
    void aVersionLaterThanTheEntrysIsNotCalledAnOlderOne() {
        try (OpsHarness h = new OpsHarness(0)) {
            String id = h.insertPending("Versioned heuristic");
            EntryService entries = new EntryService(h.database, h.audit, Clock.systemUTC(),
                    (kind, category, title, body) -> new DuplicateReport(List.of(), ""), change -> { });
            assertThatThrownBy(() -> entries.update(EDITOR, Kind.EXPERIENCE, id, Map.of("context", "x"),
                    Instant.parse("2099-01-01T00:00:00Z")))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageContaining("2099-01-01T00:00:00.000Z is not a version of it").hasMessageNotContaining("after the version");
        }
    }
}
