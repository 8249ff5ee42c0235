package dev.chl.exchange;

import dev.chl.entries.EntryChange;
import dev.chl.entries.EntryService;
import dev.chl.model.DuplicateReport;
import dev.chl.model.Worksheets;
import dev.chl.ops.JobContext;
import dev.chl.store.Tx;
import dev.chl.testing.OpsHarness;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The exchange feature wired on an {@link OpsHarness} without jobs or HTTP, for tests of the import's apply itself. */
final class InProcessImport {
    private InProcessImport() {}

    static EntryService entries(OpsHarness h) {
        return new EntryService(h.database, h.audit, Clock.systemUTC(), (kind, category, title, body) -> new DuplicateReport(List.of(), ""),
                change -> { });
    }

    /** @param indexTold what the index would be told after the commit */
    static ExchangeService exchange(OpsHarness h, Consumer<List<EntryChange>> indexTold) {
        return new ExchangeService(h.database, entries(h), h.audit, Clock.systemUTC(), indexTold, h.dir.resolve("exports"), null, () -> null);
    }

    /** A published set: the harness's category, the given experience rows (column → value), no manuals. */
    @SafeVarargs
    static ExchangeService.ImportSource sheet(Map<String, String>... experiences) {
        Map<String, String> category = Map.of("code", OpsHarness.CATEGORY, "name", "Test shelf", "description", "");
        List<Workbook.Row> rows = new java.util.ArrayList<>();
        for (Map<String, String> row : experiences) {
            rows.add(new Workbook.Row(rows.size() + 2, row));
        }
        return new ExchangeService.ImportSource(new Workbook(List.of(
                new Workbook.Table(Columns.CATEGORIES, Columns.CATEGORY, List.of(new Workbook.Row(2, category))),
                new Workbook.Table(Columns.EXPERIENCES, Columns.EXPERIENCE, rows),
                new Workbook.Table(Columns.MANUALS, Columns.MANUAL, List.of()))), Worksheets.DEFAULTS);
    }

    /** An experience row of the harness's category. */
    static Map<String, String> experience(String id, String title) {
        return Map.of("id", id, "category_code", OpsHarness.CATEGORY, "section", "useful", "title", title, "playbook", "Its playbook.",
                "author", "curator");
    }

    /** A job context that does nothing but hand the committing transaction to {@code onCommitted}. */
    static JobContext context(BiConsumer<Tx, Map<String, Object>> onCommitted) {
        return new JobContext() {
            public String jobId() { return "JOB-test"; }
            public Map<String, Object> options() { return Map.of(); }
            public void progress(String step, long done, long total) { }
            public void checkpoint() { }
            public void quiesceWorkers() { }
            public void committed(Tx tx, Map<String, Object> summary) { onCommitted.accept(tx, summary); }
        };
    }

    static JobContext context() {
        return context((tx, summary) -> { });
    }
}
