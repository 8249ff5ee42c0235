package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chl.entries.EntryService;
import dev.chl.model.Actor;
import dev.chl.model.Channel;
import dev.chl.model.DuplicateReport;
import dev.chl.model.Kind;
import dev.chl.model.Worksheets;
import dev.chl.ops.JobContext;
import dev.chl.store.Tx;
import dev.chl.testing.OpsHarness;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * An import records its summary inside the transaction that saves its rows (JobContext.committed), before the index
 * hears of them: a failure after the commit then leaves the job's record of what was saved (Operations ends it
 * succeeded), and a failure inside the transaction saves nothing, record included.
 */
class ApplyCommitTest {
    private static final String ID = "EXP-TST-20260101-120000000";
    private static final Actor IMPORT = new Actor("import", Channel.SYSTEM);

    /** A published set with one category and one new experience. */
    static ExchangeService.ImportSource addingOneEntry() {
        Map<String, String> category = Map.of("code", OpsHarness.CATEGORY, "name", "Test shelf", "description", "");
        Map<String, String> entry = Map.of("id", ID, "category_code", OpsHarness.CATEGORY, "section", "useful",
                "title", "Imported heuristic", "playbook", "Its playbook.", "author", "curator");
        return new ExchangeService.ImportSource(new Workbook(List.of(
                new Workbook.Table(Columns.CATEGORIES, Columns.CATEGORY, List.of(new Workbook.Row(2, category))),
                new Workbook.Table(Columns.EXPERIENCES, Columns.EXPERIENCE, List.of(new Workbook.Row(2, entry))),
                new Workbook.Table(Columns.MANUALS, Columns.MANUAL, List.of()))), Worksheets.DEFAULTS);
    }

    private static ExchangeService exchange(OpsHarness h, Runnable indexUpdate) {
        EntryService entries = new EntryService(h.database, h.audit, Clock.systemUTC(),
                (kind, category, title, body) -> new DuplicateReport(List.of(), ""), change -> { });
        return new ExchangeService(h.database, entries, h.audit, Clock.systemUTC(), changes -> indexUpdate.run(),
                h.dir.resolve("exports"), null, () -> null);
    }

    private static JobContext context(BiConsumer<Tx, Map<String, Object>> onCommitted) {
        return new JobContext() {
            public String jobId() { return "JOB-test"; }
            public Map<String, Object> options() { return Map.of(); }
            public void progress(String step, long done, long total) { }
            public void checkpoint() { }
            public void quiesceWorkers() { }
            public void committed(Tx tx, Map<String, Object> summary) { onCommitted.accept(tx, summary); }
        };
    }

    @Test
    void theSummaryIsRecordedWithTheRowsBeforeTheIndexHearsOfThem() {
        try (OpsHarness h = new OpsHarness(0)) {
            AtomicReference<Map<String, Object>> recorded = new AtomicReference<>();
            AtomicReference<Boolean> rowVisible = new AtomicReference<>();
            ExchangeService exchange = exchange(h, () -> {
                throw new IllegalStateException("the index could not catch up");
            });

            assertThatThrownBy(() -> exchange.apply(addingOneEntry(), null, IMPORT, context((tx, summary) -> {
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
            assertThatThrownBy(() -> exchange.apply(addingOneEntry(), null, IMPORT, context((tx, summary) -> {
                throw new IllegalStateException("the job row could not be written");
            }), Map.of())).hasMessageContaining("job row");
            assertThat(h.sql.count("SELECT count(*) FROM experiences WHERE id = ?", ID)).as("rolled back with it").isZero();
        }
    }
}
