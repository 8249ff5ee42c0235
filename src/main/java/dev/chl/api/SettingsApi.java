package dev.chl.api;

import dev.chl.http.HttpModule;
import dev.chl.http.JsonBodies;
import dev.chl.http.Requests;
import dev.chl.settings.SettingsService;
import io.javalin.config.JavalinConfig;

/** {@code /api/v1/settings}: read every section; change retention, search thresholds, workers and the model. */
public final class SettingsApi implements HttpModule {
    private final SettingsService settings;
    private final JsonBodies bodies;

    public SettingsApi(SettingsService settings, JsonBodies bodies) {
        this.settings = settings;
        this.bodies = bodies;
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/settings", ctx -> ctx.json(settings.describe()));
        cfg.routes.put("/api/v1/settings/retention", ctx -> ctx.json(settings.updateRetention(Requests.actor(ctx), bodies.object(ctx))));
        cfg.routes.put("/api/v1/settings/search", ctx -> ctx.json(settings.updateSearch(Requests.actor(ctx), bodies.object(ctx))));
        cfg.routes.put("/api/v1/settings/workers", ctx -> ctx.json(settings.updateWorkers(Requests.actor(ctx), bodies.object(ctx))));
        cfg.routes.put("/api/v1/settings/operations", ctx -> ctx.json(settings.updateOperations(Requests.actor(ctx), bodies.object(ctx))));
        cfg.routes.put("/api/v1/settings/model", ctx -> ctx.json(settings.updateModel(Requests.actor(ctx), bodies.object(ctx))));
    }
}
