package dev.chl.api;

import dev.chl.entries.CategoryService;
import dev.chl.entries.EntryViews;
import dev.chl.http.HttpModule;
import dev.chl.http.JsonBodies;
import dev.chl.http.Requests;
import io.javalin.config.JavalinConfig;
import java.util.Map;

/** {@code /api/v1/categories}. */
public final class CategoriesApi implements HttpModule {
    private static final String BASE = "/api/v1/categories";

    private final CategoryService categories;
    private final JsonBodies bodies;

    public CategoriesApi(CategoryService categories, JsonBodies bodies) {
        this.categories = categories;
        this.bodies = bodies;
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get(BASE, ctx -> ctx.json(Map.of("categories", categories.list().stream().map(EntryViews::category).toList())));
        cfg.routes.post(BASE, ctx -> ctx.status(201).json(EntryViews.category(categories.create(Requests.actor(ctx), bodies.object(ctx)))));
        cfg.routes.get(BASE + "/{code}", ctx -> ctx.json(EntryViews.category(categories.get(ctx.pathParam("code")))));
        cfg.routes.put(BASE + "/{code}", ctx -> ctx.json(EntryViews.category(
                categories.update(Requests.actor(ctx), ctx.pathParam("code"), bodies.object(ctx)))));
        cfg.routes.delete(BASE + "/{code}", ctx -> {
            categories.delete(Requests.actor(ctx), ctx.pathParam("code"));
            ctx.status(204);
        });
    }
}
