package dev.chl.mcp;

import static dev.chl.mcp.McpTesting.awaitEmbedded;
import static dev.chl.mcp.McpTesting.fieldErrors;
import static dev.chl.mcp.McpTesting.ok;
import static dev.chl.mcp.McpTesting.structured;
import static dev.chl.mcp.McpTesting.text;
import static dev.chl.mcp.McpTesting.toolError;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.chl.embed.EmbeddingModels;
import dev.chl.http.JsonBodies;
import dev.chl.index.LuceneIndex;
import dev.chl.search.IndexService;
import dev.chl.store.Database;
import dev.chl.testing.Fixtures;
import dev.chl.testing.SharedModels;
import dev.chl.testing.Http;
import dev.chl.testing.TestServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * {@code chl mcp} as a real child process, driven by the SDK's stdio client: direct mode with no server, http mode
 * forwarding to a running one, auto mode choosing between them, and http mode failing helpfully and fast.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class McpStdioTest {
    private static TestServer server;
    private static Http http;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = server.http();
    }

    @AfterAll
    static void stop() {
        try {
            McpTesting.awaitChildrenExit(Duration.ofSeconds(20));
        } finally {
            McpTesting.chlChildren().forEach(ProcessHandle::destroyForcibly);
            server.close();
        }
    }

    private static String port() {
        return Integer.toString(server.app().port());
    }

    private static Map<String, String> env(Path dataDir, String port) {
        return Map.of("CHL_DATA_DIR", dataDir.toString(), "CHL_PORT", port, "CHL_MCP_MODE", "auto");
    }

    private static Map<String, String> noServer(Path dataDir) {
        return env(dataDir, Integer.toString(McpTesting.freePort()));
    }

    private static Map<String, Object> experience(String code, String title, String playbook) {
        return Map.of("entity_type", "experience", "category_code", code,
                "data", Map.of("section", "harmful", "title", title, "playbook", playbook));
    }

    @Test
    void directModeServesTheDataDirectoryWithNoServerAndItsWritesPersist() {
        Path dataDir = McpTesting.tempDir("chl-mcp-direct-");
        String id;
        JsonNode created;
        try (McpTesting.Stdio stdio = McpTesting.stdio(noServer(dataDir), "direct-client", "--mode", "direct")) {
            McpSyncClient mcp = stdio.client();
            assertThat(mcp.getServerInstructions()).contains("direct mode", dataDir.toString());
            assertThat(mcp.listTools().tools()).hasSize(6);
            List<String> codes = StreamSupport.stream(ok(mcp, "list_categories", Map.of()).path("categories").spliterator(), false)
                    .map(c -> c.path("code").asString()).toList();
            assertThat(codes).as("the seeded shelves").contains("GLN", "TST", "ERR");

            created = ok(mcp, "create_entry", experience("TST", "Sleeping in tests hides races",
                    "Wait for the condition with a deadline instead of a fixed sleep.")).path("entry");
            id = created.path("id").asString();
            assertThat(id).startsWith("EXP-TST-");
            assertThat(created.path("author").asString()).isEqualTo("direct-client");
            assertThat(Fixtures.stable(ok(mcp, "read_entries", Map.of("entity_type", "experience", "ids", List.of(id)))
                    .path("entries").path(0))).isEqualTo(Fixtures.stable(created));
            JsonNode updated = ok(mcp, "update_entry", Map.of("entity_type", "experience", "entry_id", id,
                    "updates", Map.of("context", "integration tests"))).path("entry");
            assertThat(updated.path("context").asString()).isEqualTo("integration tests");
            McpTesting.eventually(Duration.ofSeconds(30), () -> assertThat(ok(mcp, "read_entries", Map.of("entity_type", "experience",
                    "query", "fixed sleep in tests", "category_code", "TST")).path("entries").path(0).path("id").asString()).isEqualTo(id));
            McpTesting.eventually(Duration.ofSeconds(30), () -> assertThat(ok(mcp, "check_duplicates", Map.of("entity_type", "experience",
                    "title", "Sleeping in tests hides races", "body", "Wait for the condition with a deadline instead of a fixed sleep."))
                    .path("matches").path(0).path("id").asString()).isEqualTo(id));
            assertThat(ok(mcp, "get_guidelines", Map.of("guide_type", "evaluator")).path("content").asString())
                    .startsWith("# CHL evaluator guide");
            assertThat(fieldErrors(toolError(mcp, "create_entry", experience("TST", "", "p")))).containsOnlyKeys("title");
            // Quiet before closing: the edited entry is embedded again, so nothing is in flight when the client ends the process.
            McpTesting.eventually(Duration.ofSeconds(30), () -> assertThat(ok(mcp, "read_entries", Map.of("entity_type", "experience",
                    "ids", List.of(id))).path("entries").path(0).path("embedding_status").asString()).isEqualTo("embedded"));
            assertThat(stdio.log()).as("nothing went wrong in the child").doesNotContain("ERROR");
        }
        McpTesting.awaitChildrenExit(Duration.ofSeconds(30));

        // The SDK client, like most, closes stdin and sends SIGTERM 100 ms later: the process must still close its data
        // directory cleanly, leaving a committed index that agrees with the database (no rebuild at the next start).
        try (Database database = Database.openSqlite(dataDir.resolve("chl.db"));
             LuceneIndex index = LuceneIndex.open(dataDir.resolve("index"), EmbeddingModels.DEFAULT,
                     SharedModels.get(EmbeddingModels.DEFAULT).dimension())) {
            String disagreement = new IndexService(database, index, JsonBodies.appJson(), java.time.Clock.systemUTC()).disagreement();
            assertThat(disagreement).as("the index left by chl mcp --mode direct").isNull();
        }

        // The same data directory served by a server later holds the entry and its audit rows.
        try (TestServer later = TestServer.startIn(dataDir)) {
            JsonNode stored = later.http().get("/api/v1/experiences/" + id).json();
            assertThat(stored.path("title").asString()).isEqualTo("Sleeping in tests hides races");
            assertThat(stored.path("context").asString()).isEqualTo("integration tests");
            JsonNode audit = later.http().get("/api/v1/audit?actor=direct-client").json().path("items");
            assertThat(audit).hasSize(2).allSatisfy(row -> assertThat(row.path("source").asString()).isEqualTo("mcp"));
            assertThat(audit.path(0).path("action").asString()).isEqualTo("entry.update");
            assertThat(audit.path(1).path("action").asString()).isEqualTo("entry.create");
        }
    }

    @Test
    void httpModeForwardsEveryCallToTheServer() {
        String code = Fixtures.newCategory(http);
        String existing = Fixtures.createExperience(http, code, "Seeded through the API").path("id").asString();
        awaitEmbedded(http, List.of(existing));
        try (McpTesting.Stdio stdio = McpTesting.stdio(env(McpTesting.tempDir("chl-mcp-unused-"), port()), "stdio-http-client",
                "--mode", "http")) {
            McpSyncClient mcp = stdio.client();
            assertThat(mcp.getServerInstructions()).contains("http mode", server.baseUrl());

            JsonNode created = ok(mcp, "create_entry", experience(code, "Forwarded through stdio",
                    "The stdio process forwards to the server, so audit and index stay in one place.")).path("entry");
            String id = created.path("id").asString();
            JsonNode stored = http.get("/api/v1/experiences/" + id).json();
            assertThat(Fixtures.stable(stored)).as("the entry is in the server").isEqualTo(Fixtures.stable(created));
            assertThat(stored.path("author").asString()).isEqualTo("stdio-http-client");
            JsonNode audit = http.get("/api/v1/audit?actor=stdio-http-client").json().path("items");
            assertThat(audit).hasSize(1);
            assertThat(audit.path(0).path("source").asString()).isEqualTo("mcp");
            assertThat(audit.path(0).path("action").asString()).isEqualTo("entry.create");
            assertThat(audit.path(0).path("details").path("id").asString()).isEqualTo(id);

            assertThat(ok(mcp, "list_categories", Map.of()).path("categories"))
                    .isEqualTo(http.get("/api/v1/categories").json().path("categories"));
            JsonNode browse = ok(mcp, "read_entries", Map.of("entity_type", "experience", "category_code", code));
            assertThat(browse.path("total").asLong()).as("the category cache was dropped by the create").isEqualTo(2);
            assertThat(Fixtures.stable(browse.path("entries").path(1))).isEqualTo(Fixtures.stable(http.get("/api/v1/experiences/" + existing).json()));
            JsonNode search = ok(mcp, "read_entries", Map.of("entity_type", "experience", "category_code", code, "query", "Seeded API"));
            JsonNode api = http.post("/api/v1/search", Map.of("query", "Seeded API", "kind", "experience", "category", code)).json();
            assertThat(search.path("entries").path(0).path("id").asString()).isEqualTo(existing)
                    .isEqualTo(api.path("results").path(0).path("id").asString());
            assertThat(ok(mcp, "check_duplicates", Map.of("entity_type", "experience", "title", "Seeded through the API",
                    "body", "Do the thing for Seeded through the API, then check it.")).path("matches").path(0).path("id").asString())
                    .isEqualTo(existing);
            JsonNode updated = ok(mcp, "update_entry", Map.of("entity_type", "experience", "entry_id", existing,
                    "updates", Map.of("section", "contextual", "context", "only behind a proxy"))).path("entry");
            assertThat(Fixtures.stable(http.get("/api/v1/experiences/" + existing).json())).isEqualTo(Fixtures.stable(updated));
            assertThat(ok(mcp, "get_guidelines", Map.of("guide_type", "generator")).path("id").asString()).isEqualTo("MNL-GLN-20260101-000000001");

            // The server's 4xx answers come back as tool errors naming the field.
            assertThat(fieldErrors(toolError(mcp, "create_entry", experience(code, "t".repeat(121), "p")))).containsOnlyKeys("title");
            assertThat(fieldErrors(toolError(mcp, "create_entry", experience(Fixtures.NEVER_CREATED, "t", "p")))).containsOnlyKeys("category_code");
            McpSchema.CallToolResult missing = toolError(mcp, "update_entry", Map.of("entity_type", "experience",
                    "entry_id", "EXP-" + code + "-20200101-000000000", "updates", Map.of("title", "x")));
            assertThat(structured(missing).path("error").asString()).isEqualTo("not_found");
            assertThat(text(missing)).contains("EXP-" + code + "-20200101-000000000");
        }
    }

    @Test
    void httpModeReturnsAClientErrorAtOnceWithoutRetrying() throws IOException {
        HttpServer fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger posts = new AtomicInteger();
        fake.createContext("/", exchange -> {
            posts.incrementAndGet();
            byte[] problem = """
                    {"type":"about:blank","title":"Invalid input","status":422,"detail":"1 field is invalid",
                     "errors":[{"field":"playbook","message":"is 2001 characters; the limit is 2000"}]}"""
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(422, problem.length);
            exchange.getResponseBody().write(problem);
            exchange.close();
        });
        fake.start();
        try (McpTesting.Stdio stdio = McpTesting.stdio(noServer(McpTesting.tempDir("chl-mcp-unused-")), "four-hundred",
                "--mode", "http", "--url", "http://127.0.0.1:" + fake.getAddress().getPort())) {
            long start = System.nanoTime();
            McpSchema.CallToolResult result = toolError(stdio.client(), "create_entry", experience("TST", "t", "p"));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(fieldErrors(result)).containsEntry("playbook", "is 2001 characters; the limit is 2000");
            assertThat(posts.get()).as("one request: a 4xx is never retried").isEqualTo(1);
            assertThat(millis).as("no backoff").isLessThan(2_000);

            // Nor does a run of them open the breaker: every call still reaches the server.
            for (int i = 0; i < RemoteLibrary.BREAKER_THRESHOLD; i++) {
                toolError(stdio.client(), "create_entry", experience("TST", "t", "p"));
            }
            assertThat(posts.get()).isEqualTo(1 + RemoteLibrary.BREAKER_THRESHOLD);
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void httpModeWithNoServerTellsTheUserToStartItWithoutHanging() {
        String freePort = Integer.toString(McpTesting.freePort());
        try (McpTesting.Stdio stdio = McpTesting.stdio(env(McpTesting.tempDir("chl-mcp-unused-"), freePort), "lonely", "--mode", "http")) {
            McpSyncClient mcp = stdio.client();
            assertThat(mcp.getServerInstructions()).contains("http mode", "127.0.0.1:" + freePort);
            for (int call = 1; call <= RemoteLibrary.BREAKER_THRESHOLD + 1; call++) {
                long start = System.nanoTime();
                McpSchema.CallToolResult result = toolError(mcp, "list_categories", Map.of());
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(text(result)).as("call %d", call).contains("chl serve");
                assertThat(structured(result).path("error").asString()).isEqualTo("unavailable");
                assertThat(millis).as("call %d is bounded", call).isLessThan(10_000);
                if (call > RemoteLibrary.BREAKER_THRESHOLD) {
                    assertThat(millis).as("the breaker fails fast").isLessThan(1_000);
                }
            }
            McpTesting.eventually(Duration.ofSeconds(10), () -> assertThat(stdio.log())
                    .as("the retries are logged on stderr, off the protocol's stdout").contains("did not answer"));
        }
    }

    @Test
    void httpModeSendsTheAccessTokenAndTakesAnyClientName() {
        String token = "0123456789abcdef-stdio-token";
        try (TestServer guarded = TestServer.startWithToken(token)) {
            Map<String, String> withToken = Map.of("CHL_DATA_DIR", McpTesting.tempDir("chl-mcp-unused-").toString(),
                    "CHL_PORT", Integer.toString(guarded.app().port()), "CHL_API_TOKEN", token);
            // auto: /health answers without the token, so the server is found; then every call carries the token.
            try (McpTesting.Stdio stdio = McpTesting.stdio(withToken, "编程助手 (coding assistant)", "--mode", "auto")) {
                assertThat(stdio.client().getServerInstructions()).contains("http mode");
                JsonNode created = ok(stdio.client(), "create_entry", experience("TST", "Names are not ASCII everywhere",
                        "A client may call itself anything; the bridge must still write.")).path("entry");
                JsonNode stored = guarded.http().get("/api/v1/experiences/" + created.path("id").asString()).json();
                assertThat(stored.path("title").asString()).isEqualTo("Names are not ASCII everywhere");
                assertThat(stored.path("author").asString()).endsWith("(coding assistant)");
                JsonNode audit = guarded.http().get("/api/v1/audit?action=entry.create").json().path("items").path(0);
                assertThat(audit.path("source").asString()).isEqualTo("mcp");
                assertThat(audit.path("details").path("id").asString()).isEqualTo(created.path("id").asString());
            }
            Map<String, String> withoutToken = Map.of("CHL_DATA_DIR", McpTesting.tempDir("chl-mcp-unused-").toString(),
                    "CHL_PORT", Integer.toString(guarded.app().port()));
            try (McpTesting.Stdio stdio = McpTesting.stdio(withoutToken, "tokenless", "--mode", "http")) {
                McpSchema.CallToolResult refused = toolError(stdio.client(), "list_categories", Map.of());
                assertThat(text(refused)).contains("CHL_API_TOKEN").doesNotContain(token);
                assertThat(structured(refused).path("error").asString()).isEqualTo("unavailable");
            }
        }
    }

    @Test
    void autoModeForwardsWhenTheServerAnswers() {
        // No --mode: CHL_MCP_MODE=auto decides.
        try (McpTesting.Stdio stdio = McpTesting.stdio(env(McpTesting.tempDir("chl-mcp-unused-"), port()), "auto-client")) {
            assertThat(stdio.client().getServerInstructions()).contains("http mode", server.baseUrl()).doesNotContain("direct mode");
            String code = Fixtures.newCategory(http);
            String id = ok(stdio.client(), "create_entry", experience(code, "Chosen automatically", "auto found the server"))
                    .path("entry").path("id").asString();
            assertThat(http.get("/api/v1/experiences/" + id).status()).as("written through the server").isEqualTo(200);
        }
    }

    @Test
    void autoModeOpensTheDataDirectoryWhenNoServerAnswers() {
        Path dataDir = McpTesting.tempDir("chl-mcp-auto-");
        try (McpTesting.Stdio stdio = McpTesting.stdio(noServer(dataDir), "auto-direct", "--mode", "auto")) {
            assertThat(stdio.client().getServerInstructions()).contains("direct mode", dataDir.toString()).doesNotContain("http mode");
            assertThat(ok(stdio.client(), "list_categories", Map.of()).path("categories").toString()).contains("\"GLN\"");
        }
        assertThat(dataDir.resolve("chl.db")).exists();
    }

    @Test
    void autoModeWithAnExplicitUrlNeverOpensAPrivateLibrary() {
        // The team server named by --url is down at start: the assistant's lessons must not go to a local directory.
        Path dataDir = McpTesting.tempDir("chl-mcp-auto-url-");
        String down = "http://127.0.0.1:" + McpTesting.freePort();
        try (McpTesting.Stdio stdio = McpTesting.stdio(noServer(dataDir), "auto-url", "--mode", "auto", "--url", down)) {
            assertThat(stdio.client().getServerInstructions()).contains("http mode", down).doesNotContain("direct mode");
            assertThat(text(toolError(stdio.client(), "list_categories", Map.of()))).contains("chl serve");
        }
        assertThat(dataDir.resolve("chl.db")).as("no private library").doesNotExist();
    }

    @Test
    void autoModeForwardsToAServerThatHoldsTheDirectoryOnceItsHealthAnswers() throws Exception {
        // A server too busy to answer /health at first: the first answer takes longer than auto's 2 s, later ones are quick.
        com.sun.net.httpserver.HttpServer slow = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        slow.createContext("/health", exchange -> {
            if (calls.incrementAndGet() == 1) {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] ok = "{\"status\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        slow.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        slow.start();
        try {
            Map<String, String> env = env(server.dataDir(), Integer.toString(slow.getAddress().getPort()));
            try (McpTesting.Stdio stdio = McpTesting.stdio(env, "auto-busy", "--mode", "auto")) {
                assertThat(stdio.client().getServerInstructions()).contains("http mode").doesNotContain("direct mode");
            }
        } finally {
            slow.stop(0);
        }
    }

    @Test
    void autoModeRefusesADirectoryHeldByAProcessThatServesNothing() throws Exception {
        // The directory is held (by the test's server) but nothing answers at the address tried: the in-use error, not
        // a session forwarding to nowhere.
        ProcessBuilder builder = new ProcessBuilder(McpTesting.chlMcpCommand("--mode", "auto"));
        builder.environment().putAll(McpTesting.withDefaults(env(server.dataDir(), Integer.toString(McpTesting.freePort()))));
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
        String said = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(said).isNotZero();
        assertThat(said).contains("another CHL process is using the data directory");
    }

    @Test
    void theMcpEndpointIsNotTakenForTheServersAddress() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(McpTesting.chlMcpCommand("--url", server.baseUrl() + "/mcp"));
        builder.environment().putAll(McpTesting.withDefaults(Map.of("CHL_DATA_DIR", McpTesting.tempDir("chl-mcp-unused-").toString())));
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
        String said = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(said).isNotZero();
        assertThat(said).contains("--url takes the server's address", server.baseUrl(), "not '/mcp'");
    }

    @Test
    void theModeComesFromChlMcpModeAndAnUnknownModeIsRefused() throws Exception {
        Map<String, String> httpByEnv = Map.of("CHL_DATA_DIR", McpTesting.tempDir("chl-mcp-unused-").toString(),
                "CHL_PORT", Integer.toString(McpTesting.freePort()), "CHL_MCP_MODE", "http");
        try (McpTesting.Stdio stdio = McpTesting.stdio(httpByEnv, "env-mode")) {
            assertThat(stdio.client().getServerInstructions()).contains("http mode");
        }

        ProcessBuilder builder = new ProcessBuilder(McpTesting.chlMcpCommand("--mode", "sideways"));
        builder.environment().putAll(McpTesting.withDefaults(Map.of("CHL_DATA_DIR", McpTesting.tempDir("chl-mcp-unused-").toString())));
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isNotZero();
        assertThat(stderr).contains("unknown mode 'sideways'", "http", "auto", "direct");
        assertThat(stdout).as("stdout belongs to the protocol").isEmpty();
    }
}
