package dev.chl.api;

import dev.chl.entries.CreatedEntry;
import dev.chl.entries.EntryService;
import dev.chl.entries.EntryViews;
import dev.chl.http.HttpModule;
import dev.chl.http.JsonBodies;
import dev.chl.http.Requests;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Page;
import io.javalin.config.JavalinConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/v1/experiences} and {@code /api/v1/manuals}: list, create, read, patch, delete. */
public final class EntriesApi implements HttpModule {
    private final EntryService entries;
    private final JsonBodies bodies;

    public EntriesApi(EntryService entries, JsonBodies bodies) {
        this.entries = entries;
        this.bodies = bodies;
    }

    @Override
    public void register(JavalinConfig cfg) {
        for (Kind kind : Kind.values()) {
            String base = "/api/v1/" + kind.plural();
            cfg.routes.get(base, ctx -> ctx.json(page(entries.list(kind, JsonBodies.query(ctx)))));
            cfg.routes.post(base, ctx -> {
                CreatedEntry created = entries.create(Requests.actor(ctx), kind, bodies.object(ctx));
                ctx.status(201).json(EntryViews.created(created));
            });
            cfg.routes.get(base + "/{id}", ctx -> ctx.json(EntryViews.entry(entries.get(kind, ctx.pathParam("id")))));
            cfg.routes.patch(base + "/{id}", ctx -> ctx.json(EntryViews.entry(
                    entries.update(Requests.actor(ctx), kind, ctx.pathParam("id"), bodies.object(ctx)))));
            cfg.routes.delete(base + "/{id}", ctx -> {
                entries.delete(Requests.actor(ctx), kind, ctx.pathParam("id"));
                ctx.status(204);
            });
        }
    }

    private static Map<String, Object> page(Page<Entry> page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(EntryViews::entry).toList());
        body.put("next_cursor", page.nextCursor());
        return body;
    }
}
