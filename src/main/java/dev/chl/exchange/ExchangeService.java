package dev.chl.exchange;

import dev.chl.audit.AuditLog;
import dev.chl.common.Times;
import dev.chl.entries.EntryChange;
import dev.chl.entries.EntryService;
import dev.chl.model.Actor;
import dev.chl.model.Category;
import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import dev.chl.model.Worksheets;
import dev.chl.ops.JobContext;
import dev.chl.settings.SheetSettings;
import dev.chl.common.ValidationException;
import dev.chl.store.Database;
import dev.chl.store.Tx;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The exchange facade: export the library to a review workbook, and import a published one (plan, then apply
 * all-or-nothing). Every target reads and writes the same {@link Workbook} row model.
 */
public final class ExchangeService {
    /** What an export writes before its rename ({@code <job id>.partial}). */
    private static final String JOB_ID = "JOB-[0-9A-Za-z-]+";
    private static final java.util.regex.Pattern PARTIAL_EXPORT = java.util.regex.Pattern.compile(JOB_ID + "\\.partial");
    /** An export's file: {@code <job id>.<xlsx|zip>}; job ids start with their time, so by name is by age. */
    static final java.util.regex.Pattern EXPORT_FILE = java.util.regex.Pattern.compile(JOB_ID + "\\.(xlsx|zip)");
    static final int CHECK_EVERY = 500;

    private final Database database;
    private final ImportPlanner planner;
    private final AuditLog audit;
    private final Clock clock;
    /** Told about an import's changes once, all together, after they are committed. */
    private final Consumer<List<EntryChange>> listener;
    private final Path exports;
    private final Map<String, WorkbookFormat> formats = Map.of("xlsx", new XlsxFormat(), "csv", new CsvFormat());

    private final SheetsGateway sheets;
    private final java.util.function.Supplier<SheetSettings> sheetIds;

    public ExchangeService(Database database, EntryService entries, AuditLog audit, Clock clock, Consumer<List<EntryChange>> listener,
                           Path exports, SheetsGateway sheets, java.util.function.Supplier<SheetSettings> sheetIds) {
        this.sheets = sheets;
        this.sheetIds = sheetIds;
        this.database = database;
        this.planner = new ImportPlanner(entries);
        this.audit = audit;
        this.clock = clock;
        this.listener = listener;
        this.exports = exports;
    }

    /** The file an export job wrote, ready to download. */
    public record ExportFile(Path path, String contentType, String downloadName) {}

    /** Export files a killed process left half-written ({@code <job id>.partial}); run at start-up. */
    public void clearLeftovers() {
        dev.chl.common.Leftovers.clear(exports, PARTIAL_EXPORT, dev.chl.common.Leftovers.Shape.FILES, "a partial export");
    }

    /** Which job has a file to download: a succeeded export to xlsx or csv whose file is still in the exports folder. */
    @SuppressWarnings("unchecked")
    public ExportFile exportFile(Map<String, Object> job) {
        Map<String, Object> summary = (Map<String, Object>) job.get("result_summary");
        if (!"export".equals(job.get("job_type")) || !"succeeded".equals(job.get("status")) || summary == null
                || summary.get("file") == null) {
            throw new dev.chl.common.ConflictException("job " + job.get("job_id") + " has no file to download; only a succeeded "
                    + "export to xlsx or csv has one");
        }
        // The name comes from our own result summary; it is still resolved inside the exports folder only.
        Path file = exports.resolve(Path.of((String) summary.get("file")).getFileName().toString()).normalize();
        if (!file.startsWith(exports) || !Files.exists(file)) {
            throw new dev.chl.common.NotFoundException("the export file of job " + job.get("job_id") + " is no longer there; run the export again");
        }
        String extension = "csv".equals(summary.get("target")) ? "zip" : "xlsx";
        return new ExportFile(file, (String) summary.get("content_type"), "chl-export-" + job.get("job_id") + "." + extension);
    }

    /** Writes categories and every entry except personal (local_only) ones to a file; stamps exported_at. */
    public Map<String, Object> export(String format, String jobId, JobContext ctx) throws IOException {
        String reviewSheet = null;
        // CHL's own files always use the fixed worksheet names; the review spreadsheet uses the configured ones
        Worksheets names = Worksheets.DEFAULTS;
        if (format.equals("sheets")) {
            SheetSettings configured = sheetIds.get();
            reviewSheet = configured.reviewSheetId();
            names = configured.worksheets();
            if (reviewSheet == null) {
                throw new dev.chl.common.ValidationException("target", "no review spreadsheet is configured; set review_sheet_id in Settings → Spreadsheets");
            }
        }
        WorkbookFormat writer = formats.get(format);
        List<Category> categories = database.read(tx -> tx.categories().listWithCounts()).stream().map(s -> s.category()).toList();
        Map<Kind, List<Entry>> byKind = new LinkedHashMap<>();
        long total = database.read(tx -> tx.entries().count(Kind.EXPERIENCE) + tx.entries().count(Kind.MANUAL));
        long done = 0;
        for (Kind kind : Kind.values()) {
            List<Entry> all = new ArrayList<>();
            String after = null;
            while (true) {
                ctx.checkpoint();
                String from = after;
                List<Entry> page = database.read(tx -> tx.entries().scan(kind, from, 2000));
                if (page.isEmpty()) {
                    break;
                }
                page.stream().filter(e -> e.syncStatus() != SyncStatus.LOCAL_ONLY).forEach(all::add);
                done += page.size();
                ctx.progress("reading " + kind.plural(), done, total);
                after = page.getLast().id();
            }
            byKind.put(kind, all);
        }
        Workbook workbook = new Workbook(List.of(
                new Workbook.Table(names.categories(), Columns.CATEGORY, rows(categories.stream().map(RowMapping::row).toList())),
                new Workbook.Table(names.experiences(), Columns.EXPERIENCE, rows(byKind.get(Kind.EXPERIENCE).stream().map(RowMapping::row).toList())),
                new Workbook.Table(names.manuals(), Columns.MANUAL, rows(byKind.get(Kind.MANUAL).stream().map(RowMapping::row).toList()))));
        Path file = null;
        if (reviewSheet != null) {
            ctx.progress("writing the review spreadsheet", done, total);
            sheets.write(reviewSheet, workbook);
            ctx.checkpoint();
        } else {
            ctx.progress("writing the " + format + " file", done, total);
            Files.createDirectories(exports);
            file = exports.resolve(jobId + "." + writer.extension());
            Path partial = exports.resolve(jobId + ".partial");
            try {
                try (OutputStream out = Files.newOutputStream(partial)) {
                    writer.write(workbook, out);
                }
                ctx.checkpoint();
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                // a failed or cancelled export leaves no half-written file behind
                Files.deleteIfExists(partial);
            }
        }
        String now = Times.format(clock.instant());
        database.write(tx -> {
            for (Kind kind : Kind.values()) {
                tx.entries().stampExported(kind, byKind.get(kind).stream().map(Entry::id).toList(), now);
            }
            return null;
        });
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("target", format);
        if (file != null) {
            summary.put("file", file.getFileName().toString());
            summary.put("size_bytes", Files.size(file));
            summary.put("content_type", writer.contentType());
        } else {
            summary.put("spreadsheet_id", reviewSheet);
        }
        summary.put("categories", categories.size());
        summary.put("experiences", byKind.get(Kind.EXPERIENCE).size());
        summary.put("manuals", byKind.get(Kind.MANUAL).size());
        return summary;
    }

    /** A workbook read from its source, with the worksheet names it uses. */
    record ImportSource(Workbook workbook, Worksheets names) {}

    /** Reads an uploaded workbook; changes nothing. */
    ImportSource read(Path file, String format, JobContext ctx) throws IOException {
        ctx.progress("reading the workbook", 0, 0);
        return new ImportSource(formats.get(format).read(file), Worksheets.DEFAULTS);
    }

    /** Reads the published spreadsheet; changes nothing. */
    ImportSource readFromSheets(JobContext ctx) throws IOException {
        SheetSettings settings = sheetIds.get();
        String published = settings.publishedSheetId();
        if (published == null) {
            throw new dev.chl.common.ValidationException("source", "no published spreadsheet is configured; set published_sheet_id in Settings → Spreadsheets");
        }
        ctx.progress("reading the published spreadsheet", 0, 0);
        return new ImportSource(sheets.read(published, settings.worksheets()), settings.worksheets());
    }

    /** Checks every row of {@code source} against the library as it is now; changes nothing. */
    ImportPlan plan(ImportSource source, JobContext ctx) {
        ctx.checkpoint();
        ctx.progress("checking rows", 0, 0);
        return database.read(tx -> plan(tx, source, clock.instant()));
    }

    /**
     * The library read (entries a page at a time, then categories) and the plan the source makes of it. Outside a
     * transaction (a dry run) the pages are separate reads, so a preview made while others write may match no single
     * moment; inside the apply's write transaction it is exact, and that is the plan applied.
     */
    private ImportPlan plan(Tx tx, ImportSource source, Instant now) {
        Map<String, Entry> store = new HashMap<>();
        for (Kind kind : Kind.values()) {
            String after = null;
            while (true) {
                List<Entry> page = tx.entries().scan(kind, after, 5000);
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(e -> store.put(e.id(), e));
                after = page.getLast().id();
            }
        }
        Map<String, Category> categories = new HashMap<>();
        tx.categories().listWithCounts().forEach(c -> categories.put(c.category().code(), c.category()));
        return planner.plan(source.workbook(), source.names(), store, categories, now);
    }

    /**
     * Refuses a plan that may not be applied: any invalid row, or — when the caller reviewed a dry run and passed its
     * {@code plan} value — a plan other than that one. Nothing is imported either way.
     */
    static void requireApplicable(ImportPlan plan, String expectPlan) {
        if (expectPlan != null && !expectPlan.equals(plan.fingerprint())) {
            throw new ValidationException("expect_plan", "the source or the library changed since the dry run you reviewed:"
                    + " it would now add " + plan.adds().size() + ", update " + plan.updates().size() + " and retire "
                    + plan.retires().size() + "; nothing was imported. Run a dry run again and apply that one");
        }
        if (!plan.valid()) {
            throw new ValidationException("source", plan.problems().size() + " rows are invalid; nothing was imported. Run a dry run "
                    + "to see each one with its worksheet, row and column, fix the sheet, and import again");
        }
    }

    /**
     * Applies {@code source} all-or-nothing. The plan is made again inside the write transaction, from the rows as
     * they are at that moment: an edit that committed after the preview (while the backup ran, say) is planned with,
     * never overwritten with the older copy nor retired after it made the entry a local draft. Checkpoints inside roll
     * everything back; the index hears of the changes only after the commit.
     *
     * @param expectPlan the dry run's plan the caller reviewed, or null to apply whatever the source means now
     * @param recorded   what the job already knows for its summary (e.g. the backup taken before), kept with the commit
     */
    Map<String, Object> apply(ImportSource source, String expectPlan, Actor actor, JobContext ctx, Map<String, Object> recorded) {
        ImportPlan plan = database.write(tx -> {
            ctx.progress("checking rows against the library as it is now", 0, 0);
            // Stamped inside the transaction: no write that committed before it can carry a later time.
            Instant now = clock.instant();
            ImportPlan current = plan(tx, source, now);
            requireApplicable(current, expectPlan);
            write(tx, current, actor, ctx, now);
            ctx.committed(tx, appliedSummary(current, recorded));
            return current;
        });
        long total = plan.size();
        ctx.progress("updating the search index", total, total);
        List<EntryChange> changes = new ArrayList<>(plan.adds().size() + plan.updates().size() + plan.retires().size());
        plan.adds().forEach(e -> changes.add(new EntryChange(EntryChange.Type.CREATED, e)));
        plan.updates().forEach(e -> changes.add(new EntryChange(EntryChange.Type.UPDATED, e)));
        plan.retires().forEach(e -> changes.add(new EntryChange(EntryChange.Type.DELETED, e)));
        listener.accept(changes);
        return appliedSummary(plan, recorded);
    }

    private void write(Tx tx, ImportPlan plan, Actor actor, JobContext ctx, Instant now) {
        long total = plan.size();
        long done = 0;
        for (Category c : plan.categories()) {
            if (tx.categories().exists(c.code())) {
                tx.categories().update(c);
            } else {
                tx.categories().insert(c);
            }
            done = step(ctx, ++done, total);
        }
        for (Entry e : plan.adds()) {
            tx.entries().insert(e);
            done = step(ctx, ++done, total);
        }
        for (Entry e : plan.updates()) {
            tx.entries().update(e);
            if (e.embeddingStatus() != EmbeddingStatus.EMBEDDED) {
                // the text changed: the old vector no longer fits. An update that leaves the text alone (author,
                // context, section) keeps both its vector and its embedded status.
                tx.vectors().delete(e.id());
            }
            done = step(ctx, ++done, total);
        }
        for (Entry e : plan.unchanged()) {
            if (e.source() != Source.GLOBAL || e.syncStatus() != SyncStatus.SYNCED) {
                tx.entries().update(synced(e, now));
            }
            done = step(ctx, ++done, total);
        }
        for (Entry e : plan.retires()) {
            tx.entries().delete(e.kind(), e.id());
            tx.vectors().delete(e.id());
            audit.record(tx, actor, "entry.retire", Map.of("kind", e.kind().wire(), "id", e.id(), "title", e.title()));
            done = step(ctx, ++done, total);
        }
        audit.record(tx, actor, "import.apply", Map.of("added", plan.adds().size(), "updated", plan.updates().size(),
                "retired", plan.retires().size(), "kept_local", plan.keptLocal().size(), "at", Times.format(now)));
    }

    private static Map<String, Object> appliedSummary(ImportPlan plan, Map<String, Object> recorded) {
        Map<String, Object> summary = new LinkedHashMap<>(plan.preview(200));
        summary.put("applied", true);
        summary.putAll(recorded);
        return summary;
    }

    private static long step(JobContext ctx, long done, long total) {
        if (done % CHECK_EVERY == 0) {
            ctx.checkpoint();
            ctx.progress("applying", done, total);
        }
        return done;
    }

    private static Entry synced(Entry e, Instant now) {
        return new Entry(e.id(), e.kind(), e.categoryCode(), e.section(), e.title(), e.playbook(), e.context(), e.content(),
                e.summary(), Source.GLOBAL, SyncStatus.SYNCED, e.author(), e.embeddingStatus(), e.createdAt(), e.updatedAt(), now,
                e.exportedAt());
    }

    private static List<Workbook.Row> rows(List<Map<String, String>> cells) {
        List<Workbook.Row> rows = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) {
            rows.add(new Workbook.Row(i + 2, cells.get(i)));
        }
        return rows;
    }
}
