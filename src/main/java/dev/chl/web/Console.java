package dev.chl.web;

import dev.chl.audit.AuditExport;
import dev.chl.audit.AuditLog;
import dev.chl.entries.CategoryService;
import dev.chl.entries.EntryService;
import dev.chl.exchange.Diagnostics;
import dev.chl.exchange.ExchangeService;
import dev.chl.exchange.Uploads;
import dev.chl.http.HtmlErrors;
import dev.chl.http.HttpModule;
import dev.chl.http.TokenGuard;
import dev.chl.model.Actor;
import dev.chl.model.Channel;
import dev.chl.ops.Operations;
import dev.chl.search.IndexService;
import dev.chl.search.IndexSnapshots;
import dev.chl.search.SearchService;
import dev.chl.settings.CredentialStore;
import dev.chl.settings.SettingsService;
import dev.chl.telemetry.EventBus;
import dev.chl.telemetry.HealthService;
import dev.chl.telemetry.QueueHistory;
import dev.chl.workers.EmbeddingWorkers;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.time.Clock;
import java.util.List;

/**
 * The web console: server-rendered pages (JTE) with htmx, over the same feature services as the HTTP API. Each page
 * is a small class that reads its services and renders its templates; every form action is audited as channel ui.
 */
public final class Console implements HttpModule, HtmlErrors, AutoCloseable {
    /** Everything the console's pages read from or act on. */
    public record Services(CategoryService categories, EntryService entries, SearchService search, IndexService index,
                           IndexSnapshots snapshots, EmbeddingWorkers workers, SettingsService settings,
                           CredentialStore credentials, Diagnostics diagnostics, AuditLog audit, AuditExport auditExport,
                           Operations operations, ExchangeService exchange, Uploads uploads, EventBus events,
                           HealthService health, QueueHistory queueHistory) {}

    /** Who console actions are recorded as: the console has one operator identity, its channel is ui. */
    static final Actor ACTOR = new Actor("console", Channel.UI);

    private final Templates templates = new Templates();
    private final ConsoleGuard guard;
    private final LiveEvents live;
    private final List<HttpModule> pages;

    public Console(Services services, TokenGuard token, Clock clock) {
        Sessions sessions = new Sessions(clock);
        this.guard = new ConsoleGuard(sessions, token.enabled());
        this.live = new LiveEvents(services.events());
        Pages pages = new Pages(templates, guard.loginRequired());
        this.pages = List.of(
                new LoginPage(pages, guard, sessions, token, services.audit()),
                new OverviewPage(pages, services),
                new EntriesPage(pages, services),
                new OperationsPage(pages, services),
                new WorkersPage(pages, services),
                new IndexPage(pages, services),
                new SettingsPage(pages, services));
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.staticFiles.enableWebjars();
        cfg.staticFiles.add(files -> {
            files.hostedPath = "/static";
            files.directory = "/console";
            files.location = Location.CLASSPATH;
        });
        cfg.routes.before(guard::check);
        live.register(cfg);
        pages.forEach(page -> page.register(cfg));
    }

    /** A browser loading a console page (not an htmx fragment request) gets an HTML error page. */
    @Override
    public boolean wants(Context ctx) {
        try {
            return ConsoleGuard.isConsole(ctx.path()) && ctx.header("HX-Request") == null
                    && String.valueOf(ctx.header("Accept")).contains("text/html");
        } catch (RuntimeException e) {
            return false; // a request already gone (e.g. a live stream closed at shutdown) gets no page
        }
    }

    @Override
    public void render(Context ctx, int status, String title, String detail) {
        Chrome chrome = Chrome.of(ctx, title, "", guard.loginRequired());
        templates.html(ctx, "error.jte", new ErrorModel(chrome, status, title, detail));
    }

    /** The model of the error page. */
    public record ErrorModel(Chrome chrome, int status, String title, String detail) {}

    @Override
    public void close() {
        live.close();
    }
}
