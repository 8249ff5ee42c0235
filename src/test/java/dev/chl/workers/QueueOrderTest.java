package dev.chl.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import dev.chl.testing.Await;
import dev.chl.testing.OpsHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedding queue is oldest first across both kinds: a manual does not wait behind every experience. */
class QueueOrderTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private OpsHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void theOldestPendingManualIsClaimedBeforeExperiencesWrittenAfterIt() {
        h = new OpsHarness(1); // batch size 4
        h.workers.pauseAll(OpsHarness.OPERATOR);
        Await.until("the worker sits in its pause", WAIT, () -> h.workers.states().stream().allMatch(w -> h.workers.parked(w.id())));
        Instant start = Instant.now().minus(Duration.ofHours(1));
        String manual = "MNL-" + OpsHarness.CATEGORY + "-20260101-000000001";
        h.database.write(tx -> {
            tx.entries().insert(new Entry(manual, Kind.MANUAL, OpsHarness.CATEGORY, null, "Oldest pending manual", null, null,
                    "Written before the experiences.", null, Source.LOCAL, SyncStatus.PENDING, "tester", EmbeddingStatus.PENDING,
                    start, start, null, null));
            return null;
        });
        List<String> experiences = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            experiences.add(h.insertPending("Experience written later " + i, start.plusSeconds(i)));
        }

        // One batch, then stop: it must hold the oldest entry, the manual.
        h.embedder.closeGate();
        h.workers.resumeAll(OpsHarness.OPERATOR);
        Await.until("the first batch in the model", WAIT, () -> h.embedder.inFlight() >= 1);
        h.workers.pauseAll(OpsHarness.OPERATOR);
        h.embedder.openGate();
        Await.until("the first batch stored and the worker paused", WAIT,
                () -> h.workers.states().stream().allMatch(w -> h.workers.parked(w.id())));

        assertThat(h.sql.rows("SELECT embedding_status FROM manuals WHERE id = ?", manual).getFirst().get("embedding_status"))
                .as("the oldest entry was in the first batch").isEqualTo("embedded");
        assertThat(h.countWithStatus(experiences, "embedded")).as("with the three oldest experiences").isEqualTo(3);
        assertThat(h.countWithStatus(experiences.subList(0, 3), "embedded")).isEqualTo(3);
    }
}
