package dev.chl.api;

import dev.chl.common.Times;
import dev.chl.http.HttpModule;
import dev.chl.http.Requests;
import dev.chl.workers.EmbeddingWorkers;
import dev.chl.workers.QueueCounts;
import dev.chl.workers.WorkerState;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/v1/workers}: state, pause / resume (each or all), drain, retry-failed. */
public final class WorkersApi implements HttpModule {
    private final EmbeddingWorkers workers;

    public WorkersApi(EmbeddingWorkers workers) {
        this.workers = workers;
    }

    @Override
    public void register(JavalinConfig cfg) {
        String base = "/api/v1/workers";
        cfg.routes.get(base, ctx -> ctx.json(state()));
        cfg.routes.post(base + "/pause", ctx -> done(ctx, () -> workers.pauseAll(Requests.actor(ctx))));
        cfg.routes.post(base + "/resume", ctx -> done(ctx, () -> workers.resumeAll(Requests.actor(ctx))));
        cfg.routes.post(base + "/drain", ctx -> done(ctx, () -> workers.drain(Requests.actor(ctx))));
        cfg.routes.post(base + "/retry-failed", ctx -> {
            int requeued = workers.retryFailed(Requests.actor(ctx));
            Map<String, Object> body = state();
            body.put("requeued", requeued);
            ctx.json(body);
        });
        cfg.routes.post(base + "/{id}/pause", ctx -> done(ctx, () -> workers.pause(Requests.actor(ctx), ctx.pathParam("id"))));
        cfg.routes.post(base + "/{id}/resume", ctx -> done(ctx, () -> workers.resume(Requests.actor(ctx), ctx.pathParam("id"))));
    }

    private void done(Context ctx, Runnable action) {
        action.run();
        ctx.json(state());
    }

    Map<String, Object> state() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workers", workers.states().stream().map(WorkersApi::worker).toList());
        QueueCounts queue = workers.queue();
        body.put("queue", Map.of("pending", queue.pending(), "failed", queue.failed()));
        body.put("draining", workers.draining());
        body.put("recent_failures", workers.recentFailures(10).stream().map(f -> Map.of(
                "id", f.id(), "kind", f.kind(), "title", f.title(), "attempts", f.attempts(), "error", f.error())).toList());
        return body;
    }

    private static Map<String, Object> worker(WorkerState w) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", w.id());
        map.put("status", w.status());
        map.put("processed", w.processed());
        map.put("failed", w.failed());
        map.put("last_heartbeat_at", Times.format(w.lastHeartbeatAt()));
        map.put("stale", w.stale());
        return map;
    }
}
