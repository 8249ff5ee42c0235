package dev.chl.web;

import dev.chl.audit.AuditExport;
import dev.chl.audit.AuditFilter;
import dev.chl.common.ValidationException;
import dev.chl.embed.EmbeddingModels;
import dev.chl.http.HttpModule;
import dev.chl.model.AuditEvent;
import dev.chl.model.Page;
import dev.chl.model.Worksheets;
import dev.chl.settings.CredentialInfo;
import dev.chl.settings.CredentialStore;
import dev.chl.settings.OperationsSettings;
import dev.chl.settings.RetentionSettings;
import dev.chl.settings.SearchSettings;
import dev.chl.settings.SettingsService;
import dev.chl.settings.SheetSettings;
import dev.chl.settings.WorkerSettings;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /settings}: credentials, spreadsheets, model and thresholds, advanced settings, connectivity test,
 * configuration backup and restore, and the audit log. Each section's form is validated by the settings service —
 * the same rules as the API — and answers with the section re-rendered from what was saved.
 */
public final class SettingsPage implements HttpModule {
    /** Audit details are plain maps: written as they are stored. */
    private static final JsonMapper DETAILS_JSON = JsonMapper.builder().build();
    private static final int AUDIT_PAGE = 25;
    private static final String WORKSHEET_PREFIX = "worksheets.";
    /** The Spreadsheets form: the two ids and one "worksheets.<table>" input per table. */
    private static final Set<String> SHEET_FIELDS = Stream.concat(Stream.of("review_sheet_id", "published_sheet_id"),
            Worksheets.TABLES.stream().map(table -> WORKSHEET_PREFIX + table)).collect(Collectors.toUnmodifiableSet());

    private final Pages pages;
    private final Console.Services services;

    SettingsPage(Pages pages, Console.Services services) {
        this.pages = pages;
        this.services = services;
    }

    /** Everything the settings page shows. */
    public record Model(Chrome chrome, CredentialInfo credential, SheetSettings sheets, SearchSettings search,
                        WorkerSettings workers, RetentionSettings retention, OperationsSettings operations, String modelId,
                        List<String> models, boolean tokenEnabled, Audit audit) {}

    /** One page of the audit log with the filters that produced it. */
    public record Audit(List<AuditEvent> items, String nextCursor, String actor, String action, String since) {
        public String exportQuery(String format) {
            StringBuilder q = new StringBuilder("format=").append(format);
            append(q, "actor", actor);
            append(q, "action", action);
            append(q, "since", since);
            return q.toString();
        }

        public String nextQuery() {
            StringBuilder q = new StringBuilder("cursor=").append(encode(nextCursor));
            append(q, "actor", actor);
            append(q, "action", action);
            append(q, "since", since);
            return q.toString();
        }

        public String details(AuditEvent event) {
            return DETAILS_JSON.writeValueAsString(event.details());
        }

        private static void append(StringBuilder q, String name, String value) {
            if (value != null && !value.isBlank()) {
                q.append('&').append(name).append('=').append(encode(value));
            }
        }

        private static String encode(String value) {
            return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    /** The result of "test connectivity". */
    /** Check results, with a note on what was checked (or null). */
    public record Checks(List<CheckView> checks, String note) {
        Checks(List<CheckView> checks) {
            this(checks, null);
        }
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/settings", ctx -> pages.html(ctx, "settings.jte", model(ctx)));
        cfg.routes.post("/ui/settings/credentials", this::uploadCredential);
        section(cfg, "sheets", SHEET_FIELDS, Set.of(), (settings, actor, fields) -> settings.updateSheets(actor, nestWorksheets(fields)),
                "Spreadsheets saved");
        section(cfg, "search", Set.of("too_close_threshold", "related_threshold"),
                Set.of("too_close_threshold", "related_threshold"), SettingsService::updateSearch, "Duplicate thresholds saved");
        section(cfg, "model", Set.of("model_id"), Set.of(), SettingsService::updateModel,
                "Model saved; it takes effect at the next start (the index is rebuilt then)");
        section(cfg, "workers", Set.of("count", "batch_size", "max_attempts"), Set.of("count", "batch_size", "max_attempts"),
                SettingsService::updateWorkers,
                "Worker settings saved; they apply without a restart (the pool follows the new count within seconds)");
        section(cfg, "retention", Set.of("audit_days", "worker_metrics_hours", "backups_kept"),
                Set.of("audit_days", "worker_metrics_hours", "backups_kept"),
                SettingsService::updateRetention, "Retention saved");
        section(cfg, "operations", Set.of("job_timeout_seconds", "telemetry_interval_seconds"),
                Set.of("job_timeout_seconds", "telemetry_interval_seconds"), SettingsService::updateOperations,
                "Job settings saved; the timeout applies to the next job, the live interval from the next start");
        cfg.routes.post("/ui/settings/test-connectivity", ctx ->
                pages.html(ctx, "settings/checks.jte", new Checks(CheckView.all(services.diagnostics().testConnectivity()))));
        cfg.routes.post("/ui/settings/sheets/validate", ctx -> {
            // The Spreadsheets form's Validate: the ids as typed (validated like a save), before anything is saved.
            var typed = services.settings().parseSheets(nestWorksheets(Forms.fields(ctx, SHEET_FIELDS, Set.of())));
            pages.html(ctx, "settings/checks.jte", new Checks(CheckView.all(services.diagnostics().testConnectivity(typed)),
                    typed.equals(services.settings().sheets()) ? "Tested the saved settings (the form shows them unchanged)."
                            : "Tested the values in the form; they are not saved until you press Save."));
        });
        cfg.routes.get("/ui/settings/diagnostics", ctx ->
                pages.html(ctx, "settings/checks.jte", new Checks(CheckView.all(services.diagnostics().checks()))));
        cfg.routes.get("/ui/settings/backup", ctx -> {
            ctx.contentType("application/json");
            ctx.header("Content-Disposition", "attachment; filename=\"chl-settings.json\"");
            ctx.result(services.settings().backupFile());
        });
        cfg.routes.post("/ui/settings/restore", ctx -> {
            services.settings().restoreFile(Console.ACTOR, uploaded(ctx, SettingsService.BACKUP_MAX_BYTES));
            Toasts.success(ctx, "Settings restored from the backup");
            Pages.redirect(ctx, "/settings");
        });
        cfg.routes.get("/ui/audit", ctx -> pages.html(ctx, "settings/audit.jte", audit(ctx)));
        cfg.routes.get("/ui/audit/export", ctx -> {
            AuditExport.Format format = AuditExport.Format.parse(ctx.queryParam("format"));
            ctx.contentType(format.contentType + "; charset=utf-8");
            ctx.header("Content-Disposition", "attachment; filename=\"chl-audit." + format.extension + "\"");
            try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8))) {
                services.auditExport().write(format, filter(ctx, null), out);
            }
        });
    }

    /**
     * The form's flat "worksheets.experiences" fields as the nested {@code worksheets} object the settings service
     * validates (its field names in errors are the same, so they land next to the inputs). A form without them (the
     * setup wizard) leaves the worksheet names as they are.
     */
    static Map<String, Object> nestWorksheets(Map<String, ?> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> worksheets = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith(WORKSHEET_PREFIX)) {
                worksheets.put(name.substring(WORKSHEET_PREFIX.length()), value);
            } else {
                body.put(name, value);
            }
        });
        if (!worksheets.isEmpty()) {
            body.put("worksheets", worksheets);
        }
        return body;
    }

    /** How one section is saved: a settings-service update method. */
    @FunctionalInterface
    private interface SectionUpdate {
        Object save(SettingsService settings, dev.chl.model.Actor actor, Map<String, ?> fields);
    }

    /** A settings section: its form posts here and gets the section back, re-rendered from the saved values. */
    private void section(JavalinConfig cfg, String name, Set<String> fields, Set<String> numeric, SectionUpdate update,
                         String saved) {
        cfg.routes.post("/ui/settings/" + name, ctx -> {
            update.save(services.settings(), Console.ACTOR, Forms.fields(ctx, fields, numeric));
            Toasts.success(ctx, saved);
            String returnTo = ctx.formParam("return_to");
            if (returnTo != null) {
                Pages.redirect(ctx, LoginPage.localPath(returnTo));
                return;
            }
            pages.html(ctx, "settings/" + name + ".jte", model(ctx));
        });
    }

    private void uploadCredential(Context ctx) throws IOException {
        CredentialInfo info = services.credentials().upload(Console.ACTOR, uploaded(ctx, CredentialStore.MAX_BYTES));
        Toasts.success(ctx, "Credential accepted: " + info.clientEmail());
        String returnTo = ctx.formParam("return_to");
        if (returnTo != null) {
            Pages.redirect(ctx, LoginPage.localPath(returnTo));
            return;
        }
        pages.html(ctx, "settings/credentials.jte", model(ctx));
    }

    /** The bytes of the multipart field "file", read up to one byte past {@code max} so the service can refuse it. */
    private static byte[] uploaded(Context ctx, int max) throws IOException {
        UploadedFile file = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
        if (file == null) {
            throw new ValidationException("file", "choose a file to upload");
        }
        try (var in = file.content()) {
            return in.readNBytes(max + 1);
        }
    }

    private Model model(Context ctx) {
        SettingsService settings = services.settings();
        return new Model(pages.chrome(ctx, "Settings", "settings"), services.credentials().current().orElse(null),
                settings.sheets(), settings.search(), settings.workers(), settings.retention(), settings.operations(),
                settings.modelId(), EmbeddingModels.available(), pages.loginRequired(), audit(ctx));
    }

    private Audit audit(Context ctx) {
        Page<AuditEvent> page = services.audit().list(filter(ctx, AUDIT_PAGE));
        return new Audit(page.items(), page.nextCursor(), Forms.query(ctx, "actor"),
                Forms.query(ctx, "action"), Forms.query(ctx, "since"));
    }

    private static AuditFilter filter(Context ctx, Integer limit) {
        return new AuditFilter(Forms.query(ctx, "actor"), Forms.query(ctx, "action"),
                Forms.query(ctx, "since"), limit, Forms.query(ctx, "cursor"));
    }
}
