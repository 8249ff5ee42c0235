package dev.chl.web;

import dev.chl.common.NotFoundException;
import dev.chl.common.Times;
import dev.chl.entries.CreatedEntry;
import dev.chl.entries.EntryService;
import dev.chl.http.HttpModule;
import dev.chl.model.CategorySummary;
import dev.chl.model.DuplicateReport;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Page;
import dev.chl.search.Closeness;
import dev.chl.search.SearchResults;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /entries}: browse by category, hybrid search with scores and the path that matched, view, create (with the
 * duplicate check shown before saving), edit, delete with confirmation. Fields are validated by the entry service.
 */
public final class EntriesPage implements HttpModule {
    private static final int PAGE_SIZE = 25;
    private static final int SEARCH_RESULTS = 20;
    static final String CONFIRM_FIELD = "confirm_duplicates";

    private final Pages pages;
    private final Console.Services services;

    EntriesPage(Pages pages, Console.Services services) {
        this.pages = pages;
        this.services = services;
    }

    /** The browse and search page. */
    public record Model(Chrome chrome, List<CategorySummary> categories, Listing listing, String notice) {}

    /** What the list shows: a page of one kind and category, or search results. */
    public record Listing(Kind kind, String category, String query, List<Entry> items, String nextCursor, SearchResults results) {
        public String nextQuery() {
            return "kind=" + kind.wire() + (category == null ? "" : "&category=" + category) + "&cursor=" + nextCursor;
        }
    }

    /** One entry's page. */
    public record View(Chrome chrome, Entry entry, String notice) {}

    /** The create or edit form; {@code entry} is null for a new one, {@code values} what was typed. */
    public record Form(Chrome chrome, Kind kind, Entry entry, Map<String, String> values, List<CategorySummary> categories) {
        public String value(String field) {
            return values.get(field);
        }

        public boolean editing() {
            return entry != null;
        }
    }

    /** The duplicate check's answer; {@code asking} when a save waits for confirmation. */
    public record Duplicates(DuplicateReport report, Closeness closeness, boolean asking) {}

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/entries", ctx -> pages.html(ctx, "entries.jte", new Model(pages.chrome(ctx, "Entries", "entries"),
                services.categories().list(), listing(ctx), deletedNotice(ctx))));
        cfg.routes.get("/ui/entries/list", ctx -> {
            Listing listing = listing(ctx);
            pages.html(ctx, ctx.queryParam("cursor") != null ? "entries/rows.jte" : "entries/listing.jte", listing);
        });
        cfg.routes.get("/entries/new", ctx -> {
            Kind kind = kind(ctx.queryParam("kind"));
            Map<String, String> values = new LinkedHashMap<>();
            values.put("category_code", ctx.queryParam("category"));
            pages.html(ctx, "entries/form.jte", new Form(pages.chrome(ctx, "New " + kind.wire(), "entries"), kind, null, values,
                    services.categories().list()));
        });
        cfg.routes.get("/entries/{id}", ctx -> {
            Entry entry = services.entries().get(ctx.pathParam("id"));
            String notice = ctx.queryParam("created") != null ? "Saved. It is searchable now and gets its embedding in a moment."
                    : ctx.queryParam("updated") != null ? "Changes saved." : null;
            pages.html(ctx, "entries/view.jte", new View(pages.chrome(ctx, entry.title(), "entries"), entry, notice));
        });
        cfg.routes.get("/entries/{id}/edit", ctx -> {
            Entry entry = services.entries().get(ctx.pathParam("id"));
            pages.html(ctx, "entries/form.jte", new Form(pages.chrome(ctx, "Edit " + entry.id(), "entries"), entry.kind(), entry,
                    values(entry), services.categories().list()));
        });
        cfg.routes.post("/ui/entries/check", ctx -> {
            Kind kind = kind(ctx.formParam("kind"));
            String title = ctx.formParam("title");
            String body = ctx.formParam(kind == Kind.EXPERIENCE ? "playbook" : "content");
            if (title == null || title.isBlank() || body == null || body.isBlank()) {
                ctx.html("<p class=\"muted small\">The duplicate check runs once the title and the text are filled in.</p>");
                return;
            }
            DuplicateReport report = services.search().check(kind, null, title.strip(), body.strip(), ctx.formParam("id"));
            pages.html(ctx, "entries/duplicates.jte", new Duplicates(report, services.search().closeness(report), false));
        });
        cfg.routes.post("/ui/entries", this::create);
        cfg.routes.post("/ui/entries/{id}", ctx -> {
            Entry current = services.entries().get(ctx.pathParam("id"));
            Map<String, Object> fields = changed(Forms.fields(ctx, EntryService.writableFields(current.kind())), values(current));
            String readAt = ctx.formParam("updated_at");
            Entry updated = services.entries().update(Console.ACTOR, current.kind(), current.id(), fields,
                    readAt == null || readAt.isBlank() ? null : Times.parseInput("updated_at", readAt));
            Pages.redirect(ctx, "/entries/" + updated.id() + "?updated=1");
        });
        cfg.routes.post("/ui/entries/{id}/delete", ctx -> {
            Entry entry = services.entries().get(ctx.pathParam("id"));
            // The page's version: an entry someone edited after the page was opened is not deleted unseen (409).
            String readAt = ctx.formParam("updated_at");
            services.entries().delete(Console.ACTOR, entry.kind(), entry.id(),
                    readAt == null || readAt.isBlank() ? null : Times.parseInput("updated_at", readAt));
            Pages.redirect(ctx, "/entries?kind=" + entry.kind().wire() + "&deleted=" + entry.id());
        });
    }

    /**
     * Saves a new entry — unless the entry service holds it back because a close entry exists and the form has not
     * confirmed yet: then the warning comes back in place of the save, with a "save anyway" button.
     */
    private void create(Context ctx) {
        Kind kind = kind(ctx.formParam("kind"));
        Map<String, Object> fields = Forms.fields(ctx, EntryService.writableFields(kind));
        boolean confirmed = "yes".equals(ctx.formParam(CONFIRM_FIELD));
        CreatedEntry created = confirmed ? services.entries().create(Console.ACTOR, kind, fields)
                : services.entries().createUnlessClose(Console.ACTOR, kind, fields);
        if (!created.saved()) {
            ctx.header("HX-Retarget", "#dup-check");
            ctx.header("HX-Reswap", "innerHTML");
            Toasts.error(ctx, "Not saved yet: a close entry exists. Review it below, then save anyway or change the entry.");
            DuplicateReport report = created.duplicates();
            pages.html(ctx, "entries/duplicates.jte", new Duplicates(report, services.search().closeness(report), true));
            return;
        }
        Pages.redirect(ctx, "/entries/" + created.entry().id() + "?created=1");
    }

    private Listing listing(Context ctx) {
        Kind kind = kind(ctx.queryParam("kind"));
        String category = Forms.query(ctx, "category");
        String query = Forms.query(ctx, "q");
        if (query != null) {
            SearchResults results = services.search().search(query, kind.wire(), category, SEARCH_RESULTS);
            return new Listing(kind, category, query, List.of(), null, results);
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (category != null) {
            params.put("category", category);
        }
        String cursor = Forms.query(ctx, "cursor");
        if (cursor != null) {
            params.put("cursor", cursor);
        }
        params.put("limit", Integer.toString(PAGE_SIZE));
        Page<Entry> page = services.entries().list(kind, params);
        return new Listing(kind, category, null, page.items(), page.nextCursor(), null);
    }

    private static String deletedNotice(Context ctx) {
        String deleted = ctx.queryParam("deleted");
        // Only an entry id is echoed: the notice must not carry text someone put in a link.
        return deleted == null ? null : Kind.ofId(deleted) != null && deleted.matches("[A-Za-z0-9-]{1,80}")
                ? "Deleted " + deleted + "." : "Entry deleted.";
    }

    private static Kind kind(String value) {
        if (value == null || value.isBlank() || value.equals("experience") || value.equals("experiences")) {
            return Kind.EXPERIENCE;
        }
        if (value.equals("manual") || value.equals("manuals")) {
            return Kind.MANUAL;
        }
        throw new NotFoundException("no kind '" + value + "'; entries are experiences or manuals");
    }

    /** An edit sends only what changed, so untouched fields (say, a synced entry's status) are not re-asserted. */
    private static Map<String, Object> changed(Map<String, Object> posted, Map<String, String> current) {
        Map<String, Object> changes = new LinkedHashMap<>();
        posted.forEach((field, value) -> {
            if (!java.util.Objects.equals(value, current.get(field))) {
                changes.put(field, value);
            }
        });
        return changes;
    }

    private static Map<String, String> values(Entry e) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("category_code", e.categoryCode());
        values.put("section", e.section() == null ? null : e.section().wire());
        values.put("title", e.title());
        values.put("playbook", e.playbook());
        values.put("context", e.context());
        values.put("content", e.content());
        values.put("summary", e.summary());
        values.put("author", e.author());
        values.put("sync_status", e.syncStatus().wire());
        return values;
    }
}
