package dev.chl.mcp;

import dev.chl.entries.CategoryService;
import dev.chl.entries.EntryService;
import dev.chl.http.HttpModule;
import dev.chl.http.ProblemDocument;
import dev.chl.http.RequestChecks;
import dev.chl.http.TokenGuard;
import dev.chl.search.SearchService;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import tools.jackson.databind.json.JsonMapper;

/** Entry points of the MCP adapter: Streamable HTTP at /mcp inside the HTTP server, and stdio for spawned clients. */
public final class McpServers {
    /**
     * MCP's own JSON: protocol field names as the SDK declares them (the app's mapper writes snake_case), and the SDK's
     * transport errors as JSON-RPC error objects rather than serialized exceptions.
     */
    static final JsonMapper PROTOCOL_JSON = JsonMapper.builder().addModule(McpErrorJson.module()).build();

    /** The largest /mcp request body read (the SDK's own default, named so the params check reads no more). */
    static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    private McpServers() {}

    /** The /mcp endpoint on the shared server, guarded by the same token rule as /api. */
    public static Module httpModule(CategoryService categories, EntryService entries, SearchService search, TokenGuard guard) {
        return new Module(new LocalLibrary(categories, entries, search, "this CHL server"), guard);
    }

    /** Serves MCP over stdin/stdout from the feature services in this process, until stdin closes. */
    public static void serveStdioDirect(CategoryService categories, EntryService entries, SearchService search, String description,
                                        InputStream in, OutputStream out) throws InterruptedException {
        serveStdio(new LocalLibrary(categories, entries, search, description), in, out);
    }

    /** Serves MCP over stdin/stdout by forwarding every call to a running server's HTTP API, until stdin closes. */
    public static void serveStdioRemote(String baseUrl, String token, InputStream in, OutputStream out) throws InterruptedException {
        serveStdio(new RemoteLibrary(baseUrl, token, dev.chl.http.JsonBodies.appJson()), in, out);
    }

    /** How long, once stdin has ended, requests already received may take to be answered before the session ends. */
    static final java.time.Duration STDIN_END_DRAIN = java.time.Duration.ofSeconds(60);

    /**
     * Serves {@code library} over the given streams until {@code in} ends and the requests received before that are
     * answered (package-private: tests drive it in-process).
     */
    static void serveStdio(Library library, InputStream in, OutputStream out) throws InterruptedException {
        StdioGuard guard = new StdioGuard(in, out, PROTOCOL_JSON, STDIN_END_DRAIN);
        StdioServerTransportProvider transport = new StdioServerTransportProvider(new JacksonMcpJsonMapper(PROTOCOL_JSON),
                guard.sdkInput(), guard.sdkOutput());
        McpSyncServer server = new ChlMcpServer(library, PROTOCOL_JSON).build(McpServer.sync(transport));
        guard.start();
        try {
            guard.awaitFinished();
        } finally {
            server.closeGracefully();
        }
    }

    /** The Streamable HTTP transport mounted as a servlet at /mcp. */
    public static final class Module implements HttpModule, AutoCloseable {
        private static final java.util.List<String> ALLOWED_METHODS = java.util.List.of("POST", "GET", "DELETE");
        private final HttpServletStreamableServerTransportProvider transport;
        private final McpSyncServer server;
        private final TokenGuard guard;

        Module(Library library, TokenGuard guard) {
            this.guard = guard;
            this.transport = HttpServletStreamableServerTransportProvider.builder()
                    .jsonMapper(new JacksonMcpJsonMapper(PROTOCOL_JSON))
                    .mcpEndpoint("/mcp")
                    .maxRequestSize(MAX_REQUEST_BYTES)
                    .build();
            this.server = new ChlMcpServer(library, PROTOCOL_JSON).build(McpServer.sync(transport));
        }

        @Override
        public void register(io.javalin.config.JavalinConfig cfg) {
            cfg.jetty.modifyServletContextHandler(handler -> {
                ServletHolder holder = new ServletHolder("mcp", transport);
                holder.setAsyncSupported(true);
                handler.addServlet(holder, "/mcp");
                FilterHolder filter = new FilterHolder(guardFilter());
                filter.setAsyncSupported(true);
                handler.addFilter(filter, "/mcp", EnumSet.of(DispatcherType.REQUEST));
                // After the token check: only an admitted caller's body is read.
                FilterHolder params = new FilterHolder(new McpParamsCheck(PROTOCOL_JSON, MAX_REQUEST_BYTES, transport.protocolVersions()));
                params.setAsyncSupported(true);
                handler.addFilter(params, "/mcp", EnumSet.of(DispatcherType.REQUEST));
            });
        }

        /** The same checks as every other request (host, origin, token), which Javalin's before-handler never sees here. */
        private Filter guardFilter() {
            RequestChecks checks = new RequestChecks(guard);
            return (request, response, chain) -> {
                HttpServletRequest http = (HttpServletRequest) request;
                if (!ALLOWED_METHODS.contains(http.getMethod())) {
                    // The servlet would answer TRACE by echoing the request, Authorization and Cookie headers included
                    // (a proxy that adds the token would hand it to anyone), and HEAD by opening an event stream.
                    HttpServletResponse out = (HttpServletResponse) response;
                    out.setHeader("Allow", String.join(", ", ALLOWED_METHODS));
                    problem(out, 405, "Method not allowed", http.getMethod() + " is not supported on /mcp; MCP's Streamable "
                            + "HTTP uses POST (messages), GET (the event stream) and DELETE (end a session)");
                    return;
                }
                // The path is /mcp by this filter's mapping: the raw request URI ("/./mcp") is not what Jetty matched.
                RequestChecks.Refusal refusal = checks.check(http.getMethod(), "/mcp", http::getHeader, request.getRemoteAddr());
                if (refusal == null) {
                    chain.doFilter(request, response);
                    return;
                }
                HttpServletResponse out = (HttpServletResponse) response;
                refusal.headers().forEach(out::setHeader);
                problem(out, refusal.status(), refusal.title(), refusal.detail());
            };
        }

        private static void problem(HttpServletResponse out, int status, String title, String detail) throws java.io.IOException {
            out.setStatus(status);
            out.setContentType(ProblemDocument.CONTENT_TYPE);
            out.getOutputStream().write(PROTOCOL_JSON.writeValueAsBytes(ProblemDocument.of(status, title, detail, Map.of())));
        }

        @Override
        public void close() {
            server.closeGracefully();
            // Stops the transport's session sweep. (SDK 2.1.0 leaves the sweep's single-thread scheduler, a non-daemon
            // thread, running: a JVM whose main returns without System.exit lingers; the server's exit path is fine.)
            transport.closeGracefully().block(java.time.Duration.ofSeconds(5));
        }
    }
}
