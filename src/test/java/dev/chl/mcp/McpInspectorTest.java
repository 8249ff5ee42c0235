package dev.chl.mcp;

import static dev.chl.mcp.McpTesting.JSON;
import static dev.chl.mcp.McpTesting.assertNoStackTrace;
import static dev.chl.mcp.McpTesting.awaitEmbedded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * A real MCP client nobody here wrote — the MCP Inspector CLI, as a subprocess — lists the tools and calls each of them,
 * over Streamable HTTP and over stdio. Its path comes from {@code CHL_MCP_INSPECTOR} ({@code ./chl test} installs it).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class McpInspectorTest {
    private static final List<String> TOOLS = List.of("list_categories", "read_entries", "create_entry", "update_entry",
            "check_duplicates", "get_guidelines");
    private static String inspector;
    private static TestServer server;
    private static Http http;
    private static Path work;

    @BeforeAll
    static void start() {
        inspector = System.getenv("CHL_MCP_INSPECTOR");
        if (inspector == null || inspector.isBlank()) {
            fail("CHL_MCP_INSPECTOR is not set. These tests drive the MCP Inspector CLI (@modelcontextprotocol/inspector 0.15.0): "
                    + "run the suite with `./chl test`, which installs it under .ci/node/ and sets the variable, or install it with "
                    + "`npm install @modelcontextprotocol/inspector@0.15.0` and export CHL_MCP_INSPECTOR=<dir>/node_modules/.bin/mcp-inspector");
        }
        if (!Files.isExecutable(Path.of(inspector))) {
            fail("CHL_MCP_INSPECTOR=" + inspector + " is not an executable file; point it at node_modules/.bin/mcp-inspector");
        }
        server = TestServer.start();
        http = server.http();
        work = McpTesting.tempDir("chl-inspector-");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Runs the inspector CLI against {@code target} and returns the JSON it printed. */
    private static JsonNode inspect(List<String> target, String... method) {
        List<String> command = new ArrayList<>();
        command.add(inspector);
        command.add("--cli");
        command.addAll(target);
        command.addAll(List.of(method));
        try {
            Path out = Files.createTempFile(work, "out-", ".json");
            Path err = Files.createTempFile(work, "err-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(McpTesting.withDefaults(Map.of()));
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("the inspector did not finish within 120 s: " + command);
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("inspector %s\nstdout: %s\nstderr: %s", String.join(" ", method), stdout, stderr).isZero();
            int start = stdout.indexOf('{');
            assertThat(start).as("the inspector printed JSON: %s / %s", stdout, stderr).isNotNegative();
            return JSON.readTree(stdout.substring(start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode call(List<String> target, String tool, String... toolArgs) {
        List<String> args = new ArrayList<>(List.of("--method", "tools/call", "--tool-name", tool));
        for (String arg : toolArgs) {
            args.add("--tool-arg");
            args.add(arg);
        }
        JsonNode result = inspect(target, args.toArray(String[]::new));
        assertThat(result.path("isError").asBoolean()).as("%s answered %s", tool, result).isFalse();
        JsonNode structured = result.path("structuredContent");
        assertThat(numbersAsDoubles(JSON.readTree(result.path("content").path(0).path("text").asString())))
                .as("the text content is the structured content").isEqualTo(numbersAsDoubles(structured));
        return structured;
    }

    /** JavaScript prints 1.0 as 1: compare numbers by value. */
    private static JsonNode numbersAsDoubles(JsonNode node) {
        if (node.isNumber()) {
            return JSON.getNodeFactory().numberNode(node.asDouble());
        }
        if (node.isObject()) {
            tools.jackson.databind.node.ObjectNode copy = JSON.createObjectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), numbersAsDoubles(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            tools.jackson.databind.node.ArrayNode copy = JSON.createArrayNode();
            node.forEach(n -> copy.add(numbersAsDoubles(n)));
            return copy;
        }
        return node;
    }

    private static List<String> names(JsonNode toolsList) {
        return StreamSupport.stream(toolsList.path("tools").spliterator(), false).map(t -> t.path("name").asString()).toList();
    }

    /** The whole tour, the same over either transport: list, then each tool once on a fresh shelf. */
    private static void everyTool(List<String> target, String code) {
        JsonNode tools = inspect(target, "--method", "tools/list");
        assertThat(names(tools)).containsExactlyInAnyOrderElementsOf(TOOLS);
        JsonNode create = StreamSupport.stream(tools.path("tools").spliterator(), false)
                .filter(t -> t.path("name").asString().equals("create_entry")).findFirst().orElseThrow();
        assertThat(create.path("inputSchema").path("required").toString()).contains("entity_type", "category_code", "data");

        JsonNode categories = call(target, "list_categories");
        assertThat(numbersAsDoubles(categories.path("categories")))
                .isEqualTo(numbersAsDoubles(http.get("/api/v1/categories").json().path("categories")));

        String title = "Inspect the wire " + code;
        JsonNode created = call(target, "create_entry", "entity_type=experience", "category_code=" + code,
                "data={\"section\":\"useful\",\"title\":\"" + title + "\",\"playbook\":\"Run a client you did not write against the server.\"}")
                .path("entry");
        String id = created.path("id").asString();
        assertThat(id).startsWith("EXP-" + code + "-");
        JsonNode stored = http.get("/api/v1/experiences/" + id).json();
        assertThat(Fixtures.stable(stored)).isEqualTo(Fixtures.stable(created));
        assertThat(stored.path("author").asString()).as("the inspector's client name").isEqualTo("inspector-cli");

        JsonNode read = call(target, "read_entries", "entity_type=experience", "ids=[\"" + id + "\"]");
        assertThat(read.path("entries").path(0).path("id").asString()).isEqualTo(id);
        JsonNode browse = call(target, "read_entries", "entity_type=experience", "category_code=" + code, "limit=5");
        assertThat(browse.path("total").asLong()).isEqualTo(1);

        JsonNode updated = call(target, "update_entry", "entity_type=experience", "entry_id=" + id,
                "updates={\"context\":\"when a protocol change lands\"}").path("entry");
        assertThat(updated.path("context").asString()).isEqualTo("when a protocol change lands");
        assertThat(http.get("/api/v1/experiences/" + id).json().path("context").asString()).isEqualTo("when a protocol change lands");

        awaitEmbedded(http, List.of(id));
        JsonNode duplicates = call(target, "check_duplicates", "entity_type=experience", "category_code=" + code, "title=" + title,
                "body=Run a client you did not write against the server.");
        assertThat(duplicates.path("matches").path(0).path("id").asString()).isEqualTo(id);

        JsonNode guide = call(target, "get_guidelines", "guide_type=evaluator");
        assertThat(guide.path("content").asString()).startsWith("# CHL evaluator guide");

        JsonNode audit = http.get("/api/v1/audit?actor=inspector-cli&limit=100").json().path("items");
        assertThat(StreamSupport.stream(audit.spliterator(), false).filter(r -> r.path("details").path("id").asString().equals(id)))
                .extracting(r -> r.path("action").asString() + "/" + r.path("source").asString())
                .containsExactly("entry.update/mcp", "entry.create/mcp");
    }

    @Test
    void everyToolOverStreamableHttp() {
        List<String> target = List.of(server.baseUrl() + "/mcp", "--transport", "http");
        everyTool(target, Fixtures.newCategory(http));

        JsonNode invalid = inspect(target, "--method", "tools/call", "--tool-name", "create_entry", "--tool-arg", "entity_type=experience",
                "--tool-arg", "category_code=" + Fixtures.NEVER_CREATED, "--tool-arg", "data={\"section\":\"useful\",\"title\":\"t\",\"playbook\":\"p\"}");
        assertThat(invalid.path("isError").asBoolean()).isTrue();
        assertThat(invalid.path("content").path(0).path("text").asString()).contains("category_code", "unknown category");
        assertNoStackTrace(invalid.toString());

        JsonNode resource = inspect(target, "--method", "resources/read", "--uri", "chl://guides/generator");
        assertThat(resource.path("contents").path(0).path("text").asString())
                .isEqualTo(http.get("/api/v1/manuals/MNL-GLN-20260101-000000001").json().path("content").asString());
        JsonNode prompt = inspect(target, "--method", "prompts/get", "--prompt-name", "after-task", "--prompt-args", "task=ship the inspector tests");
        assertThat(prompt.path("messages").path(0).path("content").path("text").asString()).contains("ship the inspector tests", "evaluator guide");
    }

    @Test
    void everyToolOverStdio() throws IOException {
        // The stdio process forwards to the test server (http mode): no model to load per inspector run.
        Path forwarding = wrapper("http", Map.of("CHL_PORT", Integer.toString(server.app().port()),
                "CHL_DATA_DIR", work.resolve("unused").toString()));
        everyTool(List.of(forwarding.toString()), Fixtures.newCategory(http));

        // And once in direct mode, where the process opens a data directory of its own.
        Path dataDir = McpTesting.tempDir("chl-inspector-direct-");
        Path direct = wrapper("direct", Map.of("CHL_PORT", Integer.toString(McpTesting.freePort()), "CHL_DATA_DIR", dataDir.toString()));
        JsonNode tools = inspect(List.of(direct.toString()), "--method", "tools/list");
        assertThat(names(tools)).containsExactlyInAnyOrderElementsOf(TOOLS);
        JsonNode created = call(List.of(direct.toString()), "create_entry", "entity_type=manual", "category_code=DOC",
                "data={\"title\":\"Written by the inspector\",\"content\":\"Over stdio, in direct mode.\"}").path("entry");
        assertThat(created.path("id").asString()).startsWith("MNL-DOC-");
        assertThat(created.path("author").asString()).isEqualTo("inspector-cli");
        assertThat(dataDir.resolve("chl.db")).exists();
    }

    /** A shell script that sets the environment and execs {@code chl mcp --mode <mode>}: what an assistant's config would run. */
    private static Path wrapper(String mode, Map<String, String> env) throws IOException {
        StringBuilder script = new StringBuilder("#!/bin/sh\n");
        McpTesting.withDefaults(env).forEach((k, v) -> script.append("export ").append(k).append('=').append(quote(v)).append('\n'));
        script.append("exec");
        for (String part : McpTesting.chlMcpCommand("--mode", mode)) {
            script.append(' ').append(quote(part));
        }
        script.append(" \"$@\"\n");
        Path file = work.resolve("chl-mcp-" + mode + ".sh");
        Files.writeString(file, script.toString());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
