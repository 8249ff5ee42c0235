package dev.chl.api;

import dev.chl.common.Times;
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
import java.time.Instant;
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
            cfg.routes.get(base + "/{id}", ctx -> withTag(ctx, entries.get(kind, ctx.pathParam("id"))));
            // If-Match with the ETag a GET gave (the entry's updated_at) makes an edit or a delete refuse a newer version: 409.
            cfg.routes.patch(base + "/{id}", ctx -> withTag(ctx, entries.update(Requests.actor(ctx), kind, ctx.pathParam("id"),
                    bodies.object(ctx), readAt(ctx.header("If-Match")))));
            cfg.routes.delete(base + "/{id}", ctx -> {
                entries.delete(Requests.actor(ctx), kind, ctx.pathParam("id"), readAt(ctx.header("If-Match")));
                ctx.status(204);
            });
        }
    }

    private static void withTag(io.javalin.http.Context ctx, Entry entry) {
        ctx.header("ETag", "\"" + Times.format(entry.updatedAt()) + "\"");
        ctx.json(EntryViews.entry(entry));
    }

    /** The updated_at inside an If-Match ETag; null when there is none or it is "*" (any version). */
    private static Instant readAt(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        if (ifMatch.contains(",")) {
            // RFC 9110 allows a list; an edit is checked against the one version it was made on.
            throw new dev.chl.common.ValidationException("If-Match", "send the one ETag of the version you edited (a GET's ETag "
                    + "header), not a list");
        }
        String tag = ifMatch.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        String updatedAt = tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"") ? tag.substring(1, tag.length() - 1) : tag;
        return Times.parseInput("If-Match", updatedAt);
    }

    private static Map<String, Object> page(Page<Entry> page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(EntryViews::entry).toList());
        body.put("next_cursor", page.nextCursor());
        return body;
    }
}
