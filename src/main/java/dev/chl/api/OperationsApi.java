package dev.chl.api;

import dev.chl.exchange.ExchangeService;
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
    private final ExchangeService exchange;

    public OperationsApi(Operations operations, JsonBodies bodies, ExchangeService exchange) {
        this.operations = operations;
        this.bodies = bodies;
        this.exchange = exchange;
    }

    @Override
    public void register(JavalinConfig cfg) {
        String base = "/api/v1/operations";
        cfg.routes.get(base + "/jobs", ctx -> ctx.json(Map.of("jobs", operations.list(JsonBodies.query(ctx)))));
        cfg.routes.get(base + "/last-runs", ctx -> ctx.json(operations.lastRuns()));
        cfg.routes.get(base + "/jobs/{id}", ctx -> ctx.json(operations.get(ctx.pathParam("id"))));
        cfg.routes.post(base + "/jobs/{id}/cancel", ctx -> ctx.status(202).json(operations.cancel(Requests.actor(ctx), ctx.pathParam("id"))));
        cfg.routes.get(base + "/jobs/{id}/download", ctx -> {
            ExchangeService.ExportFile export = exchange.exportFile(operations.get(ctx.pathParam("id")));
            ctx.contentType(export.contentType());
            ctx.header("Content-Disposition", "attachment; filename=\"" + export.downloadName() + "\"");
            try (var in = java.nio.file.Files.newInputStream(export.path())) {
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
