package dev.chl.mcp;

import static dev.chl.mcp.McpTesting.JSON;
import static dev.chl.mcp.McpTesting.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.TestServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The guides, the category list and single entries as resources, and the two workflow prompts, over Streamable HTTP. */
class McpResourcesPromptsTest {
    private static final String GENERATOR = "MNL-GLN-20260101-000000001";
    private static final String EVALUATOR = "MNL-GLN-20260101-000000002";
    private static TestServer server;
    private static Http http;
    private static McpSyncClient mcp;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = server.http();
        mcp = McpTesting.http(server.baseUrl(), "resources-test");
    }

    @AfterAll
    static void stop() {
        if (mcp != null) {
            mcp.closeGracefully();
        }
        server.close();
    }

    private static McpSchema.TextResourceContents read(String uri) {
        McpSchema.ReadResourceResult result = mcp.readResource(new McpSchema.ReadResourceRequest(uri));
        assertThat(result.contents()).as("contents of %s", uri).hasSize(1);
        assertThat(result.contents().getFirst()).isInstanceOf(McpSchema.TextResourceContents.class);
        McpSchema.TextResourceContents text = (McpSchema.TextResourceContents) result.contents().getFirst();
        assertThat(text.uri()).isEqualTo(uri);
        return text;
    }

    private static String content(String manualId) {
        return http.get("/api/v1/manuals/" + manualId).json().path("content").asString();
    }

    @Test
    void resourcesListTheTwoGuidesAndTheCategories() {
        Map<String, McpSchema.Resource> byUri = mcp.listResources().resources().stream()
                .collect(Collectors.toMap(McpSchema.Resource::uri, Function.identity()));
        assertThat(byUri).containsOnlyKeys("chl://guides/generator", "chl://guides/evaluator", "chl://categories");
        assertThat(byUri.get("chl://guides/generator").mimeType()).isEqualTo("text/markdown");
        assertThat(byUri.get("chl://guides/evaluator").mimeType()).isEqualTo("text/markdown");
        assertThat(byUri.get("chl://categories").mimeType()).isEqualTo("application/json");
        assertThat(byUri.values()).allSatisfy(r -> {
            assertThat(r.name()).isNotBlank();
            assertThat(r.description()).isNotBlank();
        });
    }

    @Test
    void theGuideResourcesAreTheSeededManuals() {
        McpSchema.TextResourceContents generator = read("chl://guides/generator");
        assertThat(generator.mimeType()).isEqualTo("text/markdown");
        assertThat(generator.text()).isEqualTo(content(GENERATOR)).startsWith("# CHL generator guide");
        McpSchema.TextResourceContents evaluator = read("chl://guides/evaluator");
        assertThat(evaluator.text()).isEqualTo(content(EVALUATOR)).startsWith("# CHL evaluator guide");
    }

    @Test
    void theCategoriesResourceIsTheApiCategoryListWithCurrentCounts() {
        String code = Fixtures.newCategory(http);
        Fixtures.createExperience(http, code, "counted");
        McpSchema.TextResourceContents categories = read("chl://categories");
        assertThat(categories.mimeType()).isEqualTo("application/json");
        JsonNode viaMcp = JSON.readTree(categories.text());
        assertThat(viaMcp.path("categories")).isEqualTo(http.get("/api/v1/categories").json().path("categories"));
        assertThat(viaMcp.toString()).contains("\"code\":\"" + code + "\"", "\"experience_count\":1");
    }

    @Test
    void theEntryTemplateIsListedAndReadsAnyEntry() {
        List<McpSchema.ResourceTemplate> templates = mcp.listResourceTemplates().resourceTemplates();
        assertThat(templates).extracting(McpSchema.ResourceTemplate::uriTemplate).containsExactly("chl://entries/{id}");
        assertThat(templates.getFirst().mimeType()).isEqualTo("application/json");

        String code = Fixtures.newCategory(http);
        String experience = Fixtures.createExperience(http, code, "read as a resource").path("id").asString();
        String manual = Fixtures.createManual(http, code, "a manual as a resource").path("id").asString();
        for (String id : List.of(experience, manual, GENERATOR)) {
            McpSchema.TextResourceContents entry = read("chl://entries/" + id);
            assertThat(entry.mimeType()).isEqualTo("application/json");
            String kind = id.startsWith("MNL-") ? "manuals" : "experiences";
            assertThat(Fixtures.stable(JSON.readTree(entry.text())))
                    .isEqualTo(Fixtures.stable(http.get("/api/v1/" + kind + "/" + id).json()));
        }
    }

    @Test
    void anUnknownResourceIsAnErrorWithoutStackTrace() {
        Throwable thrown = catchThrowable(() -> mcp.readResource(new McpSchema.ReadResourceRequest("chl://nothing/here")));
        assertThat(thrown).isInstanceOf(McpError.class);
        assertNoStackTrace(thrown.getMessage());
    }

    @Test
    void aMissingEntryIsResourceNotFoundNamingTheId() {
        String code = Fixtures.newCategory(http);
        for (String id : List.of("nope", "EXP-" + code + "-20200101-000000000", "MNL-" + code + "-20200101-000000000")) {
            Throwable thrown = catchThrowable(() -> mcp.readResource(new McpSchema.ReadResourceRequest("chl://entries/" + id)));
            assertThat(thrown).as(id).isInstanceOf(McpError.class);
            McpSchema.JSONRPCResponse.JSONRPCError error = ((McpError) thrown).getJsonRpcError();
            assertThat(error.code()).as("%s: %s", id, error).isEqualTo(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND);
            assertThat(error.message()).as("%s", error).contains("'" + id + "'");
            assertNoStackTrace(error.message());
            assertThat(error.data()).isEqualTo(Map.of("uri", "chl://entries/" + id));
        }
    }

    @Test
    void promptsListBeforeAndAfterTaskEachTakingTheTask() {
        Map<String, McpSchema.Prompt> byName = mcp.listPrompts().prompts().stream()
                .collect(Collectors.toMap(McpSchema.Prompt::name, Function.identity()));
        assertThat(byName).containsOnlyKeys("before-task", "after-task");
        assertThat(byName.values()).allSatisfy(p -> {
            assertThat(p.description()).isNotBlank();
            assertThat(p.arguments()).hasSize(1);
            assertThat(p.arguments().getFirst().name()).isEqualTo("task");
            assertThat(p.arguments().getFirst().required()).isTrue();
        });
    }

    @Test
    void getPromptWeavesTheTaskIntoItsGuide() {
        String task = "migrate the audit log to a partitioned table";
        McpSchema.GetPromptResult before = mcp.getPrompt(new McpSchema.GetPromptRequest("before-task", Map.of("task", task)));
        assertThat(before.messages()).hasSize(1);
        McpSchema.PromptMessage message = before.messages().getFirst();
        assertThat(message.role()).isEqualTo(McpSchema.Role.USER);
        String text = ((McpSchema.TextContent) message.content()).text();
        assertThat(text).startsWith("Before starting, consult CHL for this task: " + task).contains(content(GENERATOR));

        McpSchema.GetPromptResult after = mcp.getPrompt(new McpSchema.GetPromptRequest("after-task", Map.of("task", task)));
        String afterText = ((McpSchema.TextContent) after.messages().getFirst().content()).text();
        assertThat(afterText).contains(task, content(EVALUATOR)).doesNotContain(content(GENERATOR));
    }

    @Test
    void aPromptWithoutItsRequiredTaskIsInvalidParamsNamingIt() {
        for (Map<String, Object> arguments : java.util.List.<Map<String, Object>>of(Map.of(), Map.of("task", "  "))) {
            Throwable thrown = catchThrowable(() -> mcp.getPrompt(new McpSchema.GetPromptRequest("before-task", arguments)));
            assertThat(thrown).isInstanceOf(McpError.class).hasMessageContaining("task");
            assertThat(((McpError) thrown).getJsonRpcError().code()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
        }
    }

    @Test
    void anUnknownPromptIsAnErrorWithoutStackTrace() {
        Throwable thrown = catchThrowable(() -> mcp.getPrompt(new McpSchema.GetPromptRequest("during-task", Map.of("task", "x"))));
        assertThat(thrown).isInstanceOf(McpError.class);
        assertNoStackTrace(thrown.getMessage());
    }
}
