package dev.chl.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ChildJvm;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** MCP clients for tests — the SDK's own client over Streamable HTTP and over stdio (a real {@code chl mcp} process). */
final class McpTesting {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JacksonMcpJsonMapper MCP_JSON = new JacksonMcpJsonMapper(JSON);
    /** Slow machines load the model in the child JVM before it answers the handshake. */
    static final Duration STDIO_TIMEOUT = Duration.ofSeconds(90);

    private McpTesting() {}

    /** An initialized SDK client on {@code baseUrl}/mcp, introducing itself as {@code clientName}. */
    static McpSyncClient http(String baseUrl, String clientName) {
        return http(baseUrl, clientName, null);
    }

    /** Like {@link #http(String, String)}, sending {@code Authorization: Bearer token} on every request when token is set. */
    static McpSyncClient http(String baseUrl, String clientName, String token) {
        McpSyncClient client = httpClient(baseUrl, clientName, token);
        client.initialize();
        return client;
    }

    /** An SDK client not yet initialized. */
    static McpSyncClient httpClient(String baseUrl, String clientName, String token) {
        HttpClientStreamableHttpTransport.Builder transport = HttpClientStreamableHttpTransport.builder(baseUrl)
                .endpoint("/mcp")
                .jsonMapper(MCP_JSON);
        if (token != null) {
            transport.httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token));
        }
        return client(transport.build(), clientName, Duration.ofSeconds(60));
    }

    static McpSyncClient client(McpClientTransport transport, String clientName, Duration timeout) {
        return McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation(clientName, "1.0.0"))
                .requestTimeout(timeout)
                .initializationTimeout(timeout)
                .build();
    }

    /** An SDK client on a {@code chl mcp} process it started, with what the process wrote to stderr. */
    record Stdio(McpSyncClient client, java.util.Queue<String> stderr) implements AutoCloseable {
        String log() {
            return String.join("\n", stderr);
        }

        @Override
        public void close() {
            client.closeGracefully();
        }
    }

    /** An initialized SDK client on a fresh {@code chl mcp} process started with {@code args} and {@code env}. */
    static Stdio stdio(Map<String, String> env, String clientName, String... args) {
        StdioClientTransport transport = new StdioClientTransport(chlMcp(env, args), MCP_JSON);
        java.util.Queue<String> stderr = new java.util.concurrent.ConcurrentLinkedQueue<>();
        transport.setStdErrorHandler(stderr::add);
        McpSyncClient client = client(transport, clientName, STDIO_TIMEOUT);
        try {
            client.initialize();
        } catch (RuntimeException e) {
            client.close();
            throw new AssertionError("chl mcp " + String.join(" ", args) + " did not initialize; its stderr:\n"
                    + String.join("\n", stderr), e);
        }
        return new Stdio(client, stderr);
    }

    /** Waits until every {@code chl mcp} child of this JVM has exited (the SDK client ends them on close). */
    static void awaitChildrenExit(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        for (ProcessHandle child : chlChildren()) {
            try {
                child.onExit().get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                throw new AssertionError("chl mcp process " + child.pid() + " did not exit within " + within, e);
            }
        }
    }

    /** The {@code chl mcp} processes this JVM started and that still run, to end them by pid if a test left one. */
    static List<ProcessHandle> chlChildren() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("dev.chl.cli.Main")).orElse(false))
                .toList();
    }

    /** How to launch {@code chl mcp <args>}: this JVM's java, the project's flags and the test classpath. */
    static ServerParameters chlMcp(Map<String, String> env, String... args) {
        List<String> command = chlMcpCommand(args);
        return ServerParameters.builder(command.getFirst()).args(command.subList(1, command.size())).env(withDefaults(env)).build();
    }

    static List<String> chlMcpCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(ChildJvm.java(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-XX:+UseSerialGC", "-DOPT_OUT_TRACKING=true",
                "-cp", ChildJvm.classpath(), "dev.chl.cli.Main", "mcp"));
        command.addAll(List.of(args));
        return command;
    }

    /** The environment every child gets: tracking off, and no stray CHL_* setting of the developer's shell decides. */
    static Map<String, String> withDefaults(Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("OPT_OUT_TRACKING", "true");
        all.put("CHL_HOST", "127.0.0.1");
        all.put("CHL_API_TOKEN", "");
        all.putAll(env);
        return all;
    }

    /** A local TCP port nobody listens on (bound and released at once). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    /** Calls a tool that must succeed; returns its structured content, checked to equal the JSON in its text content. */
    static JsonNode ok(McpSyncClient client, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult result = call(client, tool, args);
        assertThat(result.isError()).as("%s %s → %s", tool, args, text(result)).isNotEqualTo(Boolean.TRUE);
        JsonNode structured = structured(result);
        assertThat(structured.isObject()).as("%s has structured content: %s", tool, result).isTrue();
        assertThat(JSON.readTree(text(result))).as("%s: the text content is the same JSON as the structured content", tool)
                .isEqualTo(structured);
        return structured;
    }

    /** Calls a tool that must fail as a tool error (isError=true) with no stack trace; returns the result. */
    static McpSchema.CallToolResult toolError(McpSyncClient client, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult result = call(client, tool, args);
        assertThat(result.isError()).as("%s %s must be a tool error, got %s", tool, args, text(result)).isTrue();
        assertThat(text(result)).as("%s error text", tool).isNotBlank();
        assertNoStackTrace(text(result));
        assertNoStackTrace(JSON.writeValueAsString(result.structuredContent()));
        return result;
    }

    /**
     * The fields a validation tool error names, as field → reason. Two forms are fine: CHL's own
     * ({@code structuredContent.error = invalid_input} with {@code errors[{field, message}]}, each also in the text), and the
     * SDK's check of the tool's input schema, which runs first and answers in text only, e.g.
     * {@code ... JSON schema validation errors: [/limit: must have a minimum value of 1, : required property 'body' not found]}.
     */
    static Map<String, String> fieldErrors(McpSchema.CallToolResult result) {
        Map<String, String> errors = new LinkedHashMap<>();
        String text = text(result);
        if (result.structuredContent() == null) {
            int open = text.indexOf("JSON schema validation errors: [");
            assertThat(open).as("a schema validation error or CHL's invalid_input: %s", text).isNotNegative();
            String list = text.substring(open + "JSON schema validation errors: [".length(), text.lastIndexOf(']'));
            for (String item : list.split(", (?=/|: )")) {
                String field;
                String message;
                if (item.startsWith("/")) {
                    int colon = item.indexOf(": ");
                    field = item.substring(1, colon).replace('/', '.');
                    message = item.substring(colon + 2);
                } else {
                    java.util.regex.Matcher quoted = java.util.regex.Pattern.compile("'([^']+)'").matcher(item);
                    assertThat(quoted.find()).as("a property named in %s", item).isTrue();
                    field = quoted.group(1);
                    message = item.substring(2);
                }
                errors.merge(field, message, (a, b) -> a + "; " + b);
            }
        } else {
            JsonNode s = structured(result);
            assertThat(s.path("error").asString()).as("error kind of %s", s).isEqualTo("invalid_input");
            s.path("errors").forEach(e -> errors.merge(e.path("field").asString(), e.path("message").asString(), (a, b) -> a + "; " + b));
            s.path("errors").forEach(e -> assertThat(text).as("the text names each field and reason")
                    .contains(e.path("field").asString(), e.path("message").asString()));
        }
        assertThat(errors).as("field errors in %s", text).isNotEmpty();
        errors.values().forEach(message -> assertThat(message).as("a reason").isNotBlank());
        return errors;
    }

    static JsonNode structured(McpSchema.CallToolResult result) {
        // Through text, so numbers get the node types a parser gives (as the HTTP API's JSON does).
        return JSON.readTree(JSON.writeValueAsString(result.structuredContent()));
    }

    static String text(McpSchema.CallToolResult result) {
        return result.content().stream()
                .filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text())
                .collect(Collectors.joining("\n"));
    }

    /** Retries {@code assertion} until it passes or {@code within} is over (then its last failure is thrown). */
    static void eventually(Duration within, Runnable assertion) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Waits until every entry is embedded and one index refresh later, so both search paths see them. */
    static void awaitEmbedded(dev.chl.testing.Http http, List<String> ids) {
        eventually(Duration.ofSeconds(60), () -> {
            for (String id : ids) {
                String kind = id.startsWith("MNL-") ? "manuals" : "experiences";
                assertThat(http.get("/api/v1/" + kind + "/" + id).json().path("embedding_status").asString())
                        .as("embedding_status of %s", id).isEqualTo("embedded");
            }
        });
        try {
            Thread.sleep(500); // the index refreshes every 200 ms
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void assertNoStackTrace(String text) {
        assertThat(text).as("no stack trace or qualified exception class in: %s", text)
                .doesNotContain("\tat ", "at dev.chl.", "at java.", ".java:", "Caused by", "NullPointer")
                .doesNotContainPattern("\\b[a-z]+(\\.[a-z0-9]+)+\\.[A-Z]\\w*(Exception|Error)\\b");
    }
}
