package dev.chl.mcp;

import static dev.chl.mcp.McpTesting.assertNoStackTrace;
import static dev.chl.mcp.McpTesting.structured;
import static dev.chl.mcp.McpTesting.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.common.ConflictException;
import dev.chl.common.NotFoundException;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** How a tool call's outcome becomes an MCP result, on a fake library: every failure is a tool error, none leaks internals. */
class ChlMcpServerTest {
    private final FakeLibrary library = new FakeLibrary();
    private final ChlMcpServer server = new ChlMcpServer(library, McpServers.PROTOCOL_JSON);

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        McpServerFeatures.SyncToolSpecification spec = server.tools().stream()
                .filter(t -> t.tool().name().equals(tool)).findFirst().orElseThrow();
        // A stateless exchange (null) has no client info: the actor falls back to a generic name.
        return spec.callHandler().apply(null, new McpSchema.CallToolRequest(tool, args));
    }

    @Test
    void anUnexpectedFailureIsAnInternalToolErrorWithAReferenceAndNoDetails() {
        library.category("ABC", 1, 0);
        library.failure = () -> new IllegalStateException("SQL failed: SELECT secret_value FROM settings",
                new java.sql.SQLException("database is locked"));
        McpSchema.CallToolResult result = call("list_categories", Map.of());
        assertThat(result.isError()).isTrue();
        JsonNode s = structured(result);
        assertThat(s.path("error").asString()).isEqualTo("internal");
        String ref = s.path("ref").asString();
        assertThat(ref).hasSize(8);
        assertThat(text(result)).isEqualTo("CHL failed to run list_categories; its log has the details under ref " + ref);
        assertThat(text(result) + s).doesNotContain("SELECT", "secret_value", "locked", "IllegalState", "SQLException");
        assertNoStackTrace(text(result));
        assertThat(call("list_categories", Map.of()).structuredContent().toString()).as("a new ref per failure").doesNotContain(ref);
    }

    @Test
    void theFeaturesOwnFailuresKeepTheirMessage() {
        library.failure = () -> new NotFoundException("no experience with id 'EXP-ABC-20260101-000000000'");
        McpSchema.CallToolResult notFound = call("update_entry", Map.of("entity_type", "experience",
                "entry_id", "EXP-ABC-20260101-000000000", "updates", Map.of("title", "t")));
        assertThat(notFound.isError()).isTrue();
        assertThat(text(notFound)).isEqualTo("no experience with id 'EXP-ABC-20260101-000000000'");
        assertThat(structured(notFound).path("error").asString()).isEqualTo("not_found");

        library.failure = () -> new ConflictException("the entry changed meanwhile");
        McpSchema.CallToolResult conflict = call("update_entry", Map.of("entity_type", "experience",
                "entry_id", "EXP-ABC-20260101-000000000", "updates", Map.of("title", "t")));
        assertThat(structured(conflict).path("error").asString()).isEqualTo("conflict");
        assertThat(text(conflict)).isEqualTo("the entry changed meanwhile");

        library.failure = () -> new ToolFailure("the CHL server at http://127.0.0.1:1 is not reachable; start it with `./chl serve`");
        McpSchema.CallToolResult unavailable = call("get_guidelines", Map.of("guide_type", "generator"));
        assertThat(structured(unavailable).path("error").asString()).isEqualTo("unavailable");
        assertThat(text(unavailable)).contains("chl serve");
    }

    @Test
    void createEntryPutsTheCategoryIntoTheDataAndNamesTheActor() {
        McpSchema.CallToolResult result = call("create_entry", Map.of("entity_type", "experience", "category_code", "ABC",
                "data", Map.of("title", "t")));
        assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(library.calls).singleElement().asString().startsWith("create experience").contains("category_code=ABC", "title=t");
        assertThat(library.lastActor).isEqualTo("mcp-client");
    }

    @Test
    void aValidationErrorListsEveryFieldInTextAndStructure() {
        McpSchema.CallToolResult result = call("update_entry", Map.of("entity_type", "note", "updates", List.of()));
        assertThat(result.isError()).isTrue();
        assertThat(McpTesting.fieldErrors(result)).containsOnlyKeys("entity_type", "entry_id", "updates");
        assertThat(text(result)).startsWith("Invalid input — fix and call again: ");
        assertThat(library.calls).isEmpty();
    }

    @Test
    void theInstructionsSayWhereTheLibraryIsServedFrom() {
        assertThat(server.instructions()).endsWith("Served from: a fake library.");
    }
}
