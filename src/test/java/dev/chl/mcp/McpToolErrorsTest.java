package dev.chl.mcp;

import static dev.chl.mcp.McpTesting.assertNoStackTrace;
import static dev.chl.mcp.McpTesting.fieldErrors;
import static dev.chl.mcp.McpTesting.ok;
import static dev.chl.mcp.McpTesting.structured;
import static dev.chl.mcp.McpTesting.text;
import static dev.chl.mcp.McpTesting.toolError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.TestServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Bad input, unknown ids, categories and kinds come back as tool errors (isError=true) that name the field and the
 * reason, never as protocol failures or stack traces — and nothing is written.
 */
class McpToolErrorsTest {
    private static TestServer server;
    private static Http http;
    private static McpSyncClient mcp;
    private static final String CLIENT = "errors-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static String code;
    private static String experienceId;
    private static String manualId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = server.http();
        mcp = McpTesting.http(server.baseUrl(), CLIENT);
        code = Fixtures.newCategory(http);
        experienceId = Fixtures.createExperience(http, code, "an existing experience").path("id").asString();
        manualId = Fixtures.createManual(http, code, "an existing manual").path("id").asString();
    }

    @AfterAll
    static void stop() {
        if (mcp != null) {
            // This client's calls all failed: not one of them may have written anything.
            assertThat(http.get("/api/v1/audit?actor=" + URLEncoder.encode(CLIENT, StandardCharsets.UTF_8)).json().path("items"))
                    .as("no failed call writes").isEmpty();
            mcp.closeGracefully();
        }
        server.close();
    }

    private static Map<String, Object> args(Object... keyThenValue) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyThenValue.length; i += 2) {
            map.put((String) keyThenValue[i], keyThenValue[i + 1]);
        }
        return map;
    }

    private static Map<String, String> invalid(String tool, Map<String, Object> args) {
        return fieldErrors(toolError(mcp, tool, args));
    }

    private static JsonNode notFound(String tool, Map<String, Object> args) {
        McpSchema.CallToolResult result = toolError(mcp, tool, args);
        JsonNode s = structured(result);
        assertThat(s.path("error").asString()).as("%s", s).isEqualTo("not_found");
        assertThat(s.path("message").asString()).isEqualTo(text(result));
        return s;
    }

    @Test
    void createEntryNamesEveryBadFieldOfAnExperience() {
        Map<String, String> errors = invalid("create_entry", args("entity_type", "experience", "category_code", code,
                "data", args("section", "wise", "title", "x".repeat(121), "playbook", "p".repeat(2001))));
        assertThat(errors).containsOnlyKeys("section", "title", "playbook");
        assertThat(errors.get("section")).contains("'wise' is not allowed", "useful", "harmful", "contextual");
        assertThat(errors.get("title")).contains("121", "120");
        assertThat(errors.get("playbook")).contains("2001", "2000");

        assertThat(invalid("create_entry", args("entity_type", "experience", "category_code", code, "data", args("section", "useful"))))
                .containsOnlyKeys("title", "playbook")
                .allSatisfy((field, message) -> assertThat(message).contains("required"));
        assertThat(invalid("create_entry", args("entity_type", "experience", "category_code", code,
                "data", args("section", "useful", "title", "two\nlines", "playbook", "fine"))))
                .containsOnlyKeys("title");
        assertThat(invalid("create_entry", args("entity_type", "experience", "category_code", code,
                "data", args("section", "useful", "title", "ok", "playbook", "fine", "colour", "red"))))
                .containsOnlyKeys("colour")
                .allSatisfy((field, message) -> assertThat(message).contains("unknown field", "playbook", "title"));
    }

    @Test
    void createEntryNamesTheBadFieldsOfAManual() {
        assertThat(invalid("create_entry", args("entity_type", "manual", "category_code", code, "data", args("title", "no content"))))
                .containsOnlyKeys("content");
        assertThat(invalid("create_entry", args("entity_type", "manual", "category_code", code,
                "data", args("title", "a manual", "content", "c", "section", "useful"))))
                .as("a manual has no section").containsOnlyKeys("section");
    }

    @Test
    void createEntryRejectsBadArgumentsAroundTheData() {
        assertThat(invalid("create_entry", args("entity_type", "recipe", "category_code", code, "data", args("title", "t"))))
                .containsOnlyKeys("entity_type").allSatisfy((f, m) -> assertThat(m).contains("experience", "manual"));
        assertThat(invalid("create_entry", args("category_code", code, "data", args("title", "t"))))
                .containsOnlyKeys("entity_type").allSatisfy((f, m) -> assertThat(m).contains("required"));
        assertThat(invalid("create_entry", args("entity_type", "experience", "category_code", code)))
                .containsOnlyKeys("data").allSatisfy((f, m) -> assertThat(m).contains("required"));
        assertThat(invalid("create_entry", args("entity_type", "experience", "category_code", code, "data", "useful: a title")))
                .containsOnlyKeys("data").allSatisfy((f, m) -> assertThat(m).contains("object"));
        assertThat(invalid("create_entry", args("entity_type", "experience", "data", args("section", "useful", "title", "t", "playbook", "p"))))
                .containsOnlyKeys("category_code");
        assertThat(invalid("create_entry", args("entity_type", "experience", "category_code", "TOOLONG",
                "data", args("section", "useful", "title", "t", "playbook", "p"))))
                .containsOnlyKeys("category_code");
        assertThat(invalid("create_entry", args("entity_type", "experience", "category_code", code, "urgent", true,
                "data", args("section", "useful", "title", "t", "playbook", "p"))))
                .containsOnlyKeys("urgent");
        assertThat(invalid("create_entry", args("entity_type", "experience", "category_code", code,
                "data", args("category_code", "TST", "section", "useful", "title", "t", "playbook", "p"))))
                .containsOnlyKeys("data.category_code");
    }

    @Test
    void createEntryInAnUnknownCategorySaysWhichExist() {
        Map<String, String> errors = invalid("create_entry", args("entity_type", "experience", "category_code", Fixtures.NEVER_CREATED,
                "data", args("section", "useful", "title", "t", "playbook", "p")));
        assertThat(errors).containsOnlyKeys("category_code");
        assertThat(errors.get("category_code")).contains("unknown category '" + Fixtures.NEVER_CREATED + "'", "TST", code);
        assertThat(http.get("/api/v1/experiences?category=" + Fixtures.NEVER_CREATED).json().path("items")).isEmpty();
    }

    @Test
    void updateEntryOfAnUnknownIdIsNotFound() {
        String missing = "EXP-" + code + "-20200101-000000000";
        assertThat(notFound("update_entry", args("entity_type", "experience", "entry_id", missing, "updates", args("title", "new")))
                .path("message").asString()).contains(missing);
        assertThat(notFound("update_entry", args("entity_type", "manual", "entry_id", experienceId, "updates", args("title", "new")))
                .path("message").asString()).as("the kind must match the id").contains(experienceId);
        notFound("update_entry", args("entity_type", "experience", "entry_id", "no-such-thing", "updates", args("title", "new")));
        assertThat(http.get("/api/v1/experiences/" + experienceId).json().path("title").asString()).isEqualTo("an existing experience");
    }

    @Test
    void updateEntryRejectsBadUpdates() {
        assertThat(invalid("update_entry", args("entity_type", "experience", "entry_id", experienceId, "updates", args("section", "sideways"))))
                .containsOnlyKeys("section");
        assertThat(invalid("update_entry", args("entity_type", "experience", "entry_id", experienceId, "updates", args("title", ""))))
                .containsOnlyKeys("title");
        assertThat(invalid("update_entry", args("entity_type", "experience", "entry_id", experienceId, "updates", "title=new")))
                .containsOnlyKeys("updates");
        assertThat(invalid("update_entry", args("entity_type", "experience", "updates", args("title", "new"))))
                .containsOnlyKeys("entry_id");
        assertThat(invalid("update_entry", args("entity_type", "experience", "entry_id", experienceId,
                "updates", args("category_code", Fixtures.NEVER_CREATED))))
                .containsOnlyKeys("category_code")
                .allSatisfy((f, m) -> assertThat(m).contains("unknown category"));
        assertThat(invalid("update_entry", args("entity_type", "gadget", "entry_id", experienceId, "updates", args("title", "new"))))
                .containsOnlyKeys("entity_type");
        assertThat(http.get("/api/v1/experiences/" + experienceId).json().path("title").asString()).isEqualTo("an existing experience");
    }

    @Test
    void readEntriesRejectsBadSelectors() {
        assertThat(invalid("read_entries", args("entity_type", "experience")))
                .containsOnlyKeys("query").allSatisfy((f, m) -> assertThat(m).contains("category_code", "query", "ids"));
        assertThat(invalid("read_entries", args("category_code", code))).containsOnlyKeys("entity_type");
        assertThat(invalid("read_entries", args("entity_type", "note", "category_code", code))).containsOnlyKeys("entity_type");
        assertThat(invalid("read_entries", args("entity_type", "experience", "category_code", code, "fields", "everything")))
                .containsOnlyKeys("fields");
        assertThat(invalid("read_entries", args("entity_type", "experience", "category_code", code, "limit", 0))).containsOnlyKeys("limit");
        assertThat(invalid("read_entries", args("entity_type", "experience", "category_code", code, "limit", 51))).containsOnlyKeys("limit");
        assertThat(invalid("read_entries", args("entity_type", "experience", "category_code", code, "limit", 2.5))).containsOnlyKeys("limit");
        assertThat(invalid("read_entries", args("entity_type", "experience", "ids", experienceId))).containsOnlyKeys("ids");
        assertThat(invalid("read_entries", args("entity_type", "experience", "ids", List.of()))).containsOnlyKeys("ids");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < ReadEntries.MAX_IDS + 1; i++) {
            tooMany.add(experienceId);
        }
        assertThat(invalid("read_entries", args("entity_type", "experience", "ids", tooMany))).containsOnlyKeys("ids");
        assertThat(invalid("read_entries", args("entity_type", "experience", "query", "q".repeat(2001)))).containsOnlyKeys("query");
        assertThat(invalid("read_entries", args("entity_type", "experience", "query", "flaky", "sort", "newest")))
                .containsOnlyKeys("sort");
    }

    @Test
    void readEntriesOfAnUnknownCategoryIsAnError() {
        Map<String, String> browse = invalid("read_entries", args("entity_type", "experience", "category_code", Fixtures.NEVER_CREATED));
        assertThat(browse).containsOnlyKeys("category_code");
        assertThat(browse.get("category_code")).contains("unknown category '" + Fixtures.NEVER_CREATED + "'", "list_categories");

        Map<String, String> search = invalid("read_entries", args("entity_type", "experience", "category_code", Fixtures.NEVER_CREATED,
                "query", "flaky tests"));
        assertThat(search).as("a search on a shelf that does not exist must not answer 'nothing found'").containsOnlyKeys("category_code");
        assertThat(search.get("category_code")).contains("unknown category '" + Fixtures.NEVER_CREATED + "'");

        assertThat(invalid("read_entries", args("entity_type", "experience", "category_code", "tst", "query", "flaky tests")))
                .as("the error names the tool's own argument").containsOnlyKeys("category_code");
    }

    @Test
    void checkDuplicatesRejectsBadInput() {
        assertThat(invalid("check_duplicates", args("entity_type", "experience", "title", "only a title"))).containsOnlyKeys("body");
        assertThat(invalid("check_duplicates", args("entity_type", "experience", "body", "only a body"))).containsOnlyKeys("title");
        assertThat(invalid("check_duplicates", args("entity_type", "insight", "title", "t", "body", "b"))).containsOnlyKeys("entity_type");
        assertThat(invalid("check_duplicates", args("entity_type", "experience", "category_code", "abc", "title", "t", "body", "b")))
                .containsOnlyKeys("category_code");
        assertThat(invalid("check_duplicates", args("entity_type", "experience", "title", "t".repeat(121), "body", "b")))
                .containsOnlyKeys("title");
        Map<String, String> unknown = invalid("check_duplicates", args("entity_type", "experience", "category_code", Fixtures.NEVER_CREATED,
                "title", "an existing experience", "body", "anything"));
        assertThat(unknown).as("'no close entries' on a shelf that does not exist would mislead").containsOnlyKeys("category_code");
        assertThat(unknown.get("category_code")).contains("unknown category '" + Fixtures.NEVER_CREATED + "'");
    }

    @Test
    void getGuidelinesAndListCategoriesRejectBadArguments() {
        assertThat(invalid("get_guidelines", args("guide_type", "poet")))
                .containsOnlyKeys("guide_type").allSatisfy((f, m) -> assertThat(m).contains("generator", "evaluator"));
        assertThat(invalid("get_guidelines", args())).containsOnlyKeys("guide_type")
                .allSatisfy((f, m) -> assertThat(m).contains("required"));
        assertThat(invalid("get_guidelines", args("guide_type", 7))).containsOnlyKeys("guide_type");
        assertThat(invalid("list_categories", args("category_code", code))).containsOnlyKeys("category_code");
    }

    @Test
    void readingAnUnknownEntryResourceIsAProtocolErrorWithoutStackTrace() {
        String missing = "EXP-" + code + "-20200101-000000000";
        Throwable thrown = catchThrowable(() -> mcp.readResource(new McpSchema.ReadResourceRequest("chl://entries/" + missing)));
        assertThat(thrown).isInstanceOf(McpError.class);
        McpError error = (McpError) thrown;
        assertThat(error.getMessage()).contains(missing);
        assertNoStackTrace(error.getMessage());
        assertNoStackTrace(String.valueOf(error.getJsonRpcError().data()));
        // The session survives the failure.
        ok(mcp, "read_entries", args("entity_type", "manual", "ids", List.of(manualId)));
    }

    @Test
    void anUnknownToolIsRefusedWithoutStackTrace() {
        Throwable thrown = catchThrowable(() -> mcp.callTool(new McpSchema.CallToolRequest("delete_everything", Map.of())));
        String message;
        if (thrown == null) {
            McpSchema.CallToolResult result = toolError(mcp, "delete_everything", Map.of());
            message = text(result);
        } else {
            assertThat(thrown).isInstanceOf(McpError.class);
            message = thrown.getMessage();
        }
        assertThat(message).containsIgnoringCase("unknown tool");
        assertNoStackTrace(message);
    }
}
