package dev.chl.web;

import dev.chl.common.ValidationException;
import dev.chl.exchange.ExchangeService;
import dev.chl.exchange.Uploads;
import dev.chl.http.HttpModule;
import dev.chl.ops.JobType;
import dev.chl.ops.Operations;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /operations}: import, export and index cards with their last run, a start button (disabled with the reason
 * while a lock is held), live progress and cancel; the import's dry-run preview before an apply; workbook upload; the
 * job history with filters. Jobs are started and cancelled through {@link Operations} — the same calls as the API.
 */
public final class OperationsPage implements HttpModule {
    private static final int HISTORY_ROWS = 30;

    private final Pages pages;
    private final Console.Services services;

    OperationsPage(Pages pages, Console.Services services) {
        this.pages = pages;
        this.services = services;
    }

    /** The page. */
    public record Model(Chrome chrome, Cards cards, History history, boolean sheetsConfigured) {}

    /**
     * One operation's card: its last run, what is running, why it cannot start now (or null), and for an import the
     * name of the file (or sheet) its last run read, so a preview and its Apply say which file they are about.
     */
    public record Card(JobType type, JobView last, String blockedBy, String sourceName) {
        /** The card of {@code type} from the last runs and the blockers of the moment. */
        @SuppressWarnings("unchecked")
        static Card of(JobType type, Map<String, Object> lastRuns, Map<JobType, String> blockers, Uploads uploads) {
            JobView last = JobView.of((Map<String, Object>) lastRuns.get(type.wire()));
            return new Card(type, last, blockers.get(type), sourceName(last, uploads));
        }

        private static String sourceName(JobView last, Uploads uploads) {
            Object source = last == null ? null : last.options().get("source");
            if (!(source instanceof String s)) {
                return null;
            }
            if (s.equals("sheets")) {
                return "the published Google Sheet";
            }
            String id = s.startsWith("upload:") ? s.substring("upload:".length()) : s;
            String filename = uploads.filename(id);
            return filename == null ? id : filename + " (" + id + ")";
        }

        /** A finished apply (not a dry run): never started again as it was, only through a new preview. */
        public boolean failedApply() {
            return last != null && last.type().equals("import") && !last.dryRun() && !last.active()
                    && !last.status().equals("succeeded");
        }

        public boolean running() {
            return last != null && last.active();
        }

        /** The preview to show: the last run was a finished dry run. */
        public ImportPreview preview() {
            return last != null && last.dryRun() && last.status().equals("succeeded") ? ImportPreview.of(last.result()) : null;
        }

        /** What the last import applied, when it was a succeeded apply. */
        public ImportPreview applied() {
            return last != null && last.type().equals("import") && !last.dryRun() && last.status().equals("succeeded")
                    ? ImportPreview.of(last.result()) : null;
        }

        /** Changes exactly when the card's buttons and results would: the live swap skips the block otherwise. */
        public String actionsVersion() {
            return last == null ? "none" : last.id() + ":" + last.status() + ":" + last.cancelRequested() + ":"
                    + (blockedBy == null ? "" : blockedBy);
        }

        public String importSource() {
            return last == null ? null : String.valueOf(last.options().get("source"));
        }
    }

    /** Every card, refreshed together on each jobs event. */
    public record Cards(Card importCard, Card export, Card index, Card backup, Card embeddingsSync) {
        public List<Card> all() {
            return List.of(importCard, export, index, backup, embeddingsSync);
        }
    }

    /** The job history with its filters. */
    public record History(List<JobView> jobs, String type, String status) {}

    /** A workbook uploaded for an import. */
    public record UploadChoice(String uploadId, String filename, long size, String format) {}

    @Override
    public void register(JavalinConfig cfg) {
        Operations operations = services.operations();
        cfg.routes.get("/operations", ctx -> pages.html(ctx, "operations.jte", new Model(pages.chrome(ctx, "Operations", "operations"),
                cards(), history(ctx), services.diagnostics().sheetsReady())));
        cfg.routes.get("/ui/operations/cards", ctx -> pages.html(ctx, "operations/cards.jte", cards().all()));
        cfg.routes.get("/ui/operations/history", ctx -> pages.html(ctx, "operations/history.jte", history(ctx)));
        cfg.routes.post("/ui/uploads", ctx -> {
            UploadedFile file = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
            if (file == null) {
                throw new ValidationException("file", "choose an .xlsx workbook or a zip of CSV files");
            }
            Uploads.Upload upload;
            try (InputStream in = file.content()) {
                upload = services.uploads().save(file.filename(), in);
            }
            Toasts.success(ctx, "Uploaded " + upload.filename() + "; run a dry run to preview it");
            pages.html(ctx, "operations/upload.jte", new UploadChoice(upload.uploadId(), upload.filename(), upload.size(), upload.format()));
        });
        cfg.routes.post("/ui/operations/import", ctx -> {
            boolean dryRun = !"false".equals(ctx.formParam("dry_run"));
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("source", importSource(ctx));
            options.put("dry_run", dryRun);
            String expectPlan = ctx.formParam("expect_plan");
            if (!dryRun && expectPlan != null && !expectPlan.isBlank()) {
                options.put("expect_plan", expectPlan);
            }
            operations.start(Console.ACTOR, JobType.IMPORT, options);
            started(ctx, dryRun ? "Dry run started: nothing changes until you apply" : "Import started");
        });
        cfg.routes.post("/ui/operations/export", ctx -> {
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("target", ctx.formParam("target"));
            operations.start(Console.ACTOR, JobType.EXPORT, options);
            started(ctx, "Export started");
        });
        for (JobType type : List.of(JobType.INDEX_REBUILD, JobType.BACKUP, JobType.EMBEDDINGS_SYNC)) {
            cfg.routes.post("/ui/operations/" + type.wire(), ctx -> {
                operations.start(Console.ACTOR, type, Map.of());
                started(ctx, JobView.labelOf(type.wire()) + " started");
            });
        }
        cfg.routes.post("/ui/operations/jobs/{id}/cancel", ctx -> {
            operations.cancel(Console.ACTOR, ctx.pathParam("id"));
            started(ctx, "Cancel requested: the job stops at its next checkpoint and changes nothing");
        });
        cfg.routes.post("/ui/operations/jobs/{id}/retry", ctx -> {
            JobView job = JobView.of(operations.get(ctx.pathParam("id")));
            if (job.type().equals("import") && !job.dryRun()) {
                // The console applies only a plan the operator has just reviewed: an apply is never run again as it was.
                throw new ValidationException("job", "an import is applied only from a dry run you have reviewed: run the dry run "
                        + "again and apply its preview");
            }
            operations.retry(Console.ACTOR, ctx.pathParam("id"));
            started(ctx, "Started again");
        });
        cfg.routes.get("/ui/operations/jobs/{id}/download", ctx -> {
            ExchangeService.ExportFile export = services.exchange().exportFile(operations.get(ctx.pathParam("id")));
            ctx.contentType(export.contentType());
            ctx.header("Content-Disposition", "attachment; filename=\"" + export.downloadName() + "\"");
            try (InputStream in = Files.newInputStream(export.path())) {
                in.transferTo(ctx.outputStream());
            }
        });
    }

    /** The import form names its source: the published sheet, or a workbook uploaded just before. */
    private static String importSource(Context ctx) {
        String source = ctx.formParam("source");
        if (source != null && (source.equals("sheets") || source.startsWith("upload:"))) {
            return source;
        }
        if ("upload".equals(source)) {
            String uploadId = ctx.formParam("upload_id");
            if (uploadId == null || uploadId.isBlank()) {
                throw new ValidationException("file", "choose a workbook to upload first (an .xlsx file or a zip of CSV files)");
            }
            return "upload:" + uploadId.strip();
        }
        throw new ValidationException("source", "choose where to import from: the published Google Sheet or an uploaded workbook");
    }

    /**
     * Every action answers with the cards as they are now, and a toast: all of them, or only the rebuild card when the
     * action came from the Index page, which has no other (htmx logs an error for each swap without a target).
     */
    private void started(Context ctx, String message) {
        Toasts.success(ctx, message);
        String page;
        try {
            String from = ctx.header("HX-Current-URL");
            page = from == null ? "" : java.net.URI.create(from).getPath();
        } catch (IllegalArgumentException notAUrl) {
            page = ""; // a header htmx did not write: answer with every card
        }
        Cards cards = cards();
        pages.html(ctx, "operations/cards.jte", "/index".equals(page) ? List.of(cards.index()) : cards.all());
    }

    private Cards cards() {
        Map<String, Object> last = services.operations().lastRuns();
        Map<JobType, String> blockers = services.operations().blockers();
        Uploads uploads = services.uploads();
        return new Cards(Card.of(JobType.IMPORT, last, blockers, uploads), Card.of(JobType.EXPORT, last, blockers, uploads),
                Card.of(JobType.INDEX_REBUILD, last, blockers, uploads), Card.of(JobType.BACKUP, last, blockers, uploads),
                Card.of(JobType.EMBEDDINGS_SYNC, last, blockers, uploads));
    }

    private History history(Context ctx) {
        Map<String, String> params = new LinkedHashMap<>();
        String type = Forms.query(ctx, "type");
        String status = Forms.query(ctx, "status");
        if (type != null) {
            params.put("type", type);
        }
        if (status != null) {
            params.put("status", status);
        }
        params.put("limit", Integer.toString(HISTORY_ROWS));
        return new History(JobView.all(services.operations().list(params)), type, status);
    }
}
