package dev.chl.api;

import dev.chl.http.HttpModule;
import dev.chl.telemetry.Metrics;
import io.javalin.config.JavalinConfig;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /api/v1/telemetry/snapshot} for polling clients, {@code GET /metrics} for Prometheus, and request timing. */
public final class TelemetryApi implements HttpModule {
    private static final String STARTED = "chl.started";

    private final Supplier<Map<String, Object>> snapshot;
    private final Metrics metrics;

    public TelemetryApi(Supplier<Map<String, Object>> snapshot, Metrics metrics) {
        this.snapshot = snapshot;
        this.metrics = metrics;
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/telemetry/snapshot", ctx -> ctx.json(snapshot.get()));
        cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        cfg.routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        cfg.routes.after(ctx -> {
            Long started = ctx.attribute(STARTED);
            if (started != null) {
                io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
                // Unmatched paths share one label, so a scan of random URLs cannot blow up the metric's cardinality.
                String route = matched == null ? "unmatched" : matched.path;
                metrics.recordHttp(ctx.method().name(), route, ctx.statusCode(), System.nanoTime() - started);
            }
        });
    }
}
