package dev.chl.exchange;

import dev.chl.common.Input;
import dev.chl.model.Actor;
import dev.chl.model.Channel;
import dev.chl.ops.BackupJob;
import dev.chl.ops.JobBody;
import dev.chl.ops.JobKind;
import dev.chl.ops.JobType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Import as a job: read and check every row; a dry run stops there with the preview (and its {@code plan}
 * fingerprint). Applying needs every row valid — and, when given the dry run's {@code expect_plan}, that same plan;
 * it pauses the embedding workers, takes a backup (named in the result, so a regretted import can be undone), applies
 * in one transaction, then updates the index and re-queues changed entries — and the workers always resume.
 */
public final class ImportJob implements JobKind {
    private final ExchangeService exchange;
    private final Uploads uploads;
    private final BackupJob backups;

    public ImportJob(ExchangeService exchange, Uploads uploads, BackupJob backups) {
        this.exchange = exchange;
        this.uploads = uploads;
        this.backups = backups;
    }

    @Override
    public JobType type() {
        return JobType.IMPORT;
    }

    @Override
    public Map<String, Object> options(Map<String, Object> requested) {
        Input in = new Input(requested).allowOnly(Set.of("source", "dry_run", "expect_plan"));
        String source = in.requiredText("source", 100);
        Boolean dryRun = in.bool("dry_run");
        String expectPlan = in.string("expect_plan");
        if (source != null && !source.startsWith("upload:") && !source.equals("sheets")) {
            in.error("source", "use sheets (the published spreadsheet) or upload:<upload_id> from POST /api/v1/uploads");
        }
        if (expectPlan != null && !expectPlan.matches("[0-9a-f]{64}")) {
            in.error("expect_plan", "must be the plan value of a dry run's result (64 hex characters)");
        }
        in.check();
        if (source.startsWith("upload:")) {
            try {
                uploads.resolve(source.substring("upload:".length()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("source", source);
        options.put("dry_run", dryRun != null && dryRun);
        if (expectPlan != null) {
            options.put("expect_plan", expectPlan);
        }
        return options;
    }

    private ExchangeService.ImportSource readUpload(String uploadId, dev.chl.ops.JobContext ctx) throws java.io.IOException {
        var upload = uploads.resolve(uploadId);
        return exchange.read(upload.getKey(), upload.getValue(), ctx);
    }

    @Override
    public JobBody body(Map<String, Object> options) {
        return ctx -> {
            String source = (String) options.get("source");
            ExchangeService.ImportSource read = source.equals("sheets") ? exchange.readFromSheets(ctx)
                    : readUpload(source.substring("upload:".length()), ctx);
            ImportPlan plan = exchange.plan(read, ctx);
            if (Boolean.TRUE.equals(options.get("dry_run"))) {
                Map<String, Object> preview = new LinkedHashMap<>(plan.preview(200));
                preview.put("dry_run", true);
                return preview;
            }
            String expected = (String) options.get("expect_plan");
            // Checked now, before the workers pause and the backup runs, and again inside the apply's transaction.
            ExchangeService.requireApplicable(plan, expected);
            ctx.quiesceWorkers();
            ctx.progress("taking a backup", 0, 0);
            Path backup = backups.backupNow();
            ctx.checkpoint();
            return exchange.apply(read, expected, new Actor("import", Channel.SYSTEM), ctx,
                    Map.of("backup", backup.getFileName().toString()));
        };
    }
}
