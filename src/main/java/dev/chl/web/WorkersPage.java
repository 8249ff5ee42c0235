package dev.chl.web;

import dev.chl.http.HttpModule;
import dev.chl.model.EmbeddingFailure;
import dev.chl.workers.EmbeddingWorkers;
import dev.chl.workers.QueueCounts;
import dev.chl.workers.WorkerState;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * {@code /workers}: each embedding worker's status, throughput and heartbeat with a stale badge; pause, resume and
 * drain; the queue with a live chart; recent failures and retry. The panel refreshes on every workers or queue event.
 */
public final class WorkersPage implements HttpModule {
    private static final int FAILURES_SHOWN = 10;

    private final Pages pages;
    private final Console.Services services;

    WorkersPage(Pages pages, Console.Services services) {
        this.pages = pages;
        this.services = services;
    }

    /** The page. */
    public record Model(Chrome chrome, Panel panel) {}

    /** The live part of the page. */
    public record Panel(List<WorkerState> workers, Map<String, Double> perMinute, QueueCounts queue, boolean paused,
                        boolean draining, List<EmbeddingFailure> failures, QueueChart chart) {
        public String rate(String workerId) {
            double rate = perMinute.getOrDefault(workerId, 0.0);
            return rate == 0 ? "0 / min" : String.format(java.util.Locale.ROOT, "%.0f / min", rate);
        }
    }

    @Override
    public void register(JavalinConfig cfg) {
        EmbeddingWorkers workers = services.workers();
        cfg.routes.get("/workers", ctx -> pages.html(ctx, "workers.jte", new Model(pages.chrome(ctx, "Workers & queue", "workers"), panel())));
        cfg.routes.get("/ui/workers/panel", ctx -> pages.html(ctx, "workers/panel.jte", panel()));
        cfg.routes.post("/ui/workers/pause", ctx -> act(ctx, () -> workers.pauseAll(Console.ACTOR), "All workers paused"));
        cfg.routes.post("/ui/workers/resume", ctx -> act(ctx, () -> workers.resumeAll(Console.ACTOR), "All workers resumed"));
        cfg.routes.post("/ui/workers/drain", ctx -> act(ctx, () -> workers.drain(Console.ACTOR),
                "Draining: workers finish what is queued now, then pause"));
        cfg.routes.post("/ui/workers/retry-failed", ctx -> {
            int requeued = workers.retryFailed(Console.ACTOR);
            act(ctx, () -> { }, requeued == 0 ? "No failed entries to retry" : requeued + " failed entries queued again");
        });
        cfg.routes.post("/ui/workers/{id}/pause", ctx -> act(ctx, () -> workers.pause(Console.ACTOR, ctx.pathParam("id")),
                ctx.pathParam("id") + " paused"));
        cfg.routes.post("/ui/workers/{id}/resume", ctx -> act(ctx, () -> workers.resume(Console.ACTOR, ctx.pathParam("id")),
                ctx.pathParam("id") + " resumed"));
    }

    private void act(Context ctx, Runnable action, String done) {
        action.run();
        Toasts.success(ctx, done);
        pages.html(ctx, "workers/panel.jte", panel());
    }

    private Panel panel() {
        EmbeddingWorkers workers = services.workers();
        return new Panel(workers.states(), workers.throughputPerMinute(), workers.queue(), workers.paused(), workers.draining(),
                workers.recentFailures(FAILURES_SHOWN), QueueChart.of(services.queueHistory().samples()));
    }
}
