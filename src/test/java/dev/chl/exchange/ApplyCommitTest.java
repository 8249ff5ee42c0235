package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chl.model.Actor;
import dev.chl.model.Channel;
import dev.chl.model.Kind;
import dev.chl.testing.OpsHarness;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An import records its summary inside the transaction that saves its rows (JobContext.committed), before the index
 * hears of them: a failure after the commit then leaves the job's record of what was saved (Operations ends it
 * succeeded), and a failure inside the transaction saves nothing, record included.
 */
class ApplyCommitTest {
    private static final String ID = "EXP-TST-20260101-120000000";
    private static final Actor IMPORT = new Actor("import", Channel.SYSTEM);

    private static ExchangeService.ImportSource addingOneEntry() {
        return InProcessImport.sheet(InProcessImport.experience(ID, "Imported heuristic"));
    }

    private static ExchangeService exchange(OpsHarness h, Runnable indexUpdate) {
        return InProcessImport.exchange(h, changes -> indexUpdate.run());
    }

    @Test
    void theSummaryIsRecordedWithTheRowsBeforeTheIndexHearsOfThem() {
        try (OpsHarness h = new OpsHarness(0)) {
            AtomicReference<Map<String, Object>> recorded = new AtomicReference<>();
            AtomicReference<Boolean> rowVisible = new AtomicReference<>();
            ExchangeService exchange = exchange(h, () -> {
                throw new IllegalStateException("the index could not catch up");
            });

            assertThatThrownBy(() -> exchange.apply(addingOneEntry(), null, IMPORT, InProcessImport.context((tx, summary) -> {
                rowVisible.set(tx.entries().find(Kind.EXPERIENCE, ID).isPresent());
                recorded.set(summary);
            }), Map.of("backup", "chl-20260101-000000-000.db"))).hasMessageContaining("could not catch up");

            assertThat(rowVisible.get()).as("recorded in the transaction that wrote the row").isTrue();
            assertThat(recorded.get()).containsEntry("applied", true).containsEntry("backup", "chl-20260101-000000-000.db");
            assertThat(h.sql.count("SELECT count(*) FROM experiences WHERE id = ?", ID)).as("committed").isEqualTo(1);
        }
    }

    @Test
    void aFailureWhileRecordingSavesNothing() {
        try (OpsHarness h = new OpsHarness(0)) {
            ExchangeService exchange = exchange(h, () -> { });
            assertThatThrownBy(() -> exchange.apply(addingOneEntry(), null, IMPORT, InProcessImport.context((tx, summary) -> {
                throw new IllegalStateException("the job row could not be written");
            }), Map.of())).hasMessageContaining("job row");
            assertThat(h.sql.count("SELECT count(*) FROM experiences WHERE id = ?", ID)).as("rolled back with it").isZero();
        }
    }
}
