package dev.chl.api;

import dev.chl.http.HttpModule;
import dev.chl.http.JsonBodies;
import dev.chl.http.Requests;
import dev.chl.ops.JobType;
import dev.chl.ops.Operations;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;

/** {@code /api/v1/operations}: start (202 / 409), list, get, cancel, retry, last runs. */
public final class OperationsApi implements HttpModule {
    private final Operations operations;
    private final JsonBodies bodies;
    private final java.nio.file.Path exports;

    public OperationsApi(Operations operations, JsonBodies bodies, java.nio.file.Path exports) {
        this.operations = operations;
        this.bodies = bodies;
        this.exports = exports;
    }

    @Override
    public void register(JavalinConfig cfg) {
        String base = "/api/v1/operations";
        cfg.routes.get(base + "/jobs", ctx -> ctx.json(Map.of("jobs", operations.list(JsonBodies.query(ctx)))));
        cfg.routes.get(base + "/last-runs", ctx -> ctx.json(operations.lastRuns()));
        cfg.routes.get(base + "/jobs/{id}", ctx -> ctx.json(operations.get(ctx.pathParam("id"))));
        cfg.routes.post(base + "/jobs/{id}/cancel", ctx -> ctx.status(202).json(operations.cancel(Requests.actor(ctx), ctx.pathParam("id"))));
        cfg.routes.get(base + "/jobs/{id}/download", ctx -> {
            Map<String, Object> job = operations.get(ctx.pathParam("id"));
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = (Map<String, Object>) job.get("result_summary");
            if (!"export".equals(job.get("job_type")) || !"succeeded".equals(job.get("status")) || summary == null
                    || summary.get("file") == null) {
                throw new dev.chl.common.ConflictException("job " + job.get("job_id") + " has no file to download; only a succeeded export has one");
            }
            // The file name comes from our own result summary; resolve it inside the exports folder only.
            java.nio.file.Path file = exports.resolve(java.nio.file.Path.of((String) summary.get("file")).getFileName().toString()).normalize();
            if (!file.startsWith(exports) || !java.nio.file.Files.exists(file)) {
                throw new dev.chl.common.NotFoundException("the export file of job " + job.get("job_id") + " is no longer there; run the export again");
            }
            ctx.contentType((String) summary.get("content_type"));
            ctx.header("Content-Disposition", "attachment; filename=\"chl-export-" + job.get("job_id") + "." + ("csv".equals(summary.get("target")) ? "zip" : "xlsx") + "\"");
            try (var in = java.nio.file.Files.newInputStream(file)) {
                in.transferTo(ctx.outputStream());
            }
        });
        cfg.routes.post(base + "/jobs/{id}/retry", ctx -> ctx.status(202).json(operations.retry(Requests.actor(ctx), ctx.pathParam("id"))));
        cfg.routes.post(base + "/{type}", ctx -> {
            JobType type = JobType.fromPath(ctx.pathParam("type"));
            ctx.status(202).json(operations.start(Requests.actor(ctx), type, optionalBody(ctx)));
        });
    }

    /** Options are optional: an empty body means none. */
    private Map<String, Object> optionalBody(Context ctx) {
        return ctx.bodyAsBytes().length == 0 ? Map.of() : bodies.object(ctx);
    }
}
