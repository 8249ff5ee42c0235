package dev.chl.bench;

import dev.chl.app.App;
import dev.chl.app.Config;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * MCP tool-call latency with N existing entries: the HTTP API called directly (the baseline), Streamable HTTP at /mcp,
 * and stdio in http mode (forwarding to the server) and direct mode (its own process on a copy of the data).
 * Run: ./bench mcp N
 */
public final class McpBench {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int CALLS = 300;

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        Path dir = BenchData.tempDir("chl-bench-mcp-");
        BenchData.fill(dir, n, true);
        Path directDir = BenchData.tempDir("chl-bench-mcp-direct-");
        BenchData.fill(directDir, n, true);
        List<JsonNode> queries = BenchData.queries();
        try (App app = App.start(new Config(dir, "127.0.0.1", 0, null), Clock.systemUTC())) {
            while (!app.services().operations().runningJobs().isEmpty() || app.services().index().disagreement() != null) {
                Thread.sleep(200);
            }
            String base = "http://127.0.0.1:" + app.port();
            api(base, queries);
            try (McpSyncClient client = client(HttpClientStreamableHttpTransport.builder(base).endpoint("/mcp").build())) {
                tools("streamable-http", client, queries);
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> launch = List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), "dev.chl.cli.Main", "mcp");
            try (McpSyncClient client = client(stdio(java, launch, "http", dir, app.port()))) {
                tools("stdio-http", client, queries);
            }
            try (McpSyncClient client = client(stdio(java, launch, "direct", directDir, 1))) {
                tools("stdio-direct", client, queries);
            }
        }
        System.exit(0); // a benchmark ends when it has printed its numbers
    }

    private static McpClientTransport stdio(String java, List<String> launch, String mode, Path data, int port) {
        List<String> args = new ArrayList<>(launch);
        args.add("--mode");
        args.add(mode);
        ServerParameters params = ServerParameters.builder(java).args(args)
                .env(Map.of("CHL_DATA_DIR", data.toString(), "CHL_PORT", Integer.toString(port), "OPT_OUT_TRACKING", "true"))
                .build();
        return new StdioClientTransport(params, new JacksonMcpJsonMapper(JSON));
    }

    private static McpSyncClient client(McpClientTransport transport) {
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120))
                .clientInfo(new McpSchema.Implementation("chl-bench", "1")).build();
        client.initialize();
        return client;
    }

    private static void api(String base, List<JsonNode> queries) throws Exception {
        report("http-api", "list categories", () -> call(HttpRequest.newBuilder(URI.create(base + "/api/v1/categories")).GET().build()));
        int[] q = {0};
        report("http-api", "search", () -> call(HttpRequest.newBuilder(URI.create(base + "/api/v1/search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query",
                        queries.get(q[0]++ % queries.size()).path("query").asString(), "kind", "experience", "limit", 5)))).build()));
        int[] c = {0};
        report("http-api", "create", () -> call(HttpRequest.newBuilder(URI.create(base + "/api/v1/experiences"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("category_code", "ERR", "section", "useful",
                        "title", "api bench entry " + c[0]++, "playbook", "Measure before optimising; keep the numbers.")))).build()));
    }

    private static void tools(String transport, McpSyncClient client, List<JsonNode> queries) throws Exception {
        report(transport, "list_categories", () -> check(client.callTool(new McpSchema.CallToolRequest("list_categories", Map.of()))));
        int[] q = {0};
        report(transport, "read_entries by query", () -> check(client.callTool(new McpSchema.CallToolRequest("read_entries",
                Map.of("entity_type", "experience", "query", queries.get(q[0]++ % queries.size()).path("query").asString(), "limit", 5)))));
        int[] c = {0};
        report(transport, "create_entry", () -> check(client.callTool(new McpSchema.CallToolRequest("create_entry",
                Map.of("entity_type", "experience", "category_code", "ERR", "data", Map.of("section", "useful",
                        "title", transport + " bench entry " + c[0]++, "playbook", "Measure before optimising; keep the numbers."))))));
    }

    private static Object check(McpSchema.CallToolResult result) {
        if (Boolean.TRUE.equals(result.isError())) {
            throw new IllegalStateException(result.content().toString());
        }
        return result;
    }

    private static Object call(HttpRequest request) throws Exception {
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(r.body());
        }
        return r;
    }

    @FunctionalInterface
    interface Call {
        Object run() throws Exception;
    }

    private static void report(String transport, String tool, Call call) throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            long t = System.nanoTime();
            call.run();
            if (i >= 50) latencies.add(System.nanoTime() - t);
        }
        System.out.printf("%-16s %-22s %s%n", transport, tool, BenchData.percentiles(latencies));
    }
}
