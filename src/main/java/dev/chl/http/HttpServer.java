package dev.chl.http;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson3;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** The one HTTP server: Javalin on Jetty with virtual threads, problem+json errors, the token rule, and each adapter's module. */
public final class HttpServer implements AutoCloseable {
    static final long MAX_JSON_BODY = 2L * 1024 * 1024;
    /** Uploads: workbooks are capped at 50 MB by the exchange; index snapshots can be larger. */
    private static final long MAX_UPLOAD_MB = 1024;

    private final Javalin javalin;

    public HttpServer(String host, int port, TokenGuard guard, JsonMapper json, List<HttpModule> modules) {
        this(host, port, guard, json, modules, null);
    }

    /** @param htmlErrors renders failed console page loads as pages (null: every error is problem+json) */
    public HttpServer(String host, int port, TokenGuard guard, JsonMapper json, List<HttpModule> modules, HtmlErrors htmlErrors) {
        Problems problems = new Problems(json, htmlErrors);
        RequestChecks checks = new RequestChecks(guard);
        this.javalin = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            // Jetty's per-connection header cache matches values case-insensitively by default, so on a kept-alive
            // connection "Bearer ABC…" could be read as an earlier "Bearer abc…": the token check needs exact bytes.
            cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler(json)));
            cfg.http.maxRequestSize = MAX_JSON_BODY;
            // Uploads (workbooks up to 50 MB, index snapshots) stream through multipart; files spill to disk past 1 MB.
            cfg.jetty.multipartConfig.maxFileSize(MAX_UPLOAD_MB, io.javalin.config.SizeUnit.MB);
            cfg.jetty.multipartConfig.maxTotalRequestSize(MAX_UPLOAD_MB, io.javalin.config.SizeUnit.MB);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
            cfg.http.defaultContentType = "application/json";
            cfg.jsonMapper(new JavalinJackson3(json, false));
            cfg.router.ignoreTrailingSlashes = true;
            // A known path asked with the wrong verb is a 405 naming the verb, not a 404 that reads as a wrong path.
            cfg.http.prefer405over404 = true;
            cfg.routes.before(ctx -> {
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
                RequestChecks.Refusal refusal = checks.check(ctx.method().name(), ctx.path(), ctx::header, ctx.ip());
                if (refusal != null) {
                    refusal.headers().forEach(ctx::header);
                    throw new HttpError(refusal.status(), refusal.title(), refusal.detail());
                }
            });
            problems.register(cfg.routes);
            modules.forEach(module -> module.register(cfg));
        });
    }

    public HttpServer start() {
        javalin.start();
        return this;
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
    }
}
