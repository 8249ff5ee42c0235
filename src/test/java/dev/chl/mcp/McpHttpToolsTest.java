package dev.chl.mcp;

import static dev.chl.mcp.McpTesting.JSON;
import static dev.chl.mcp.McpTesting.awaitEmbedded;
import static dev.chl.mcp.McpTesting.eventually;
import static dev.chl.mcp.McpTesting.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.TestServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The six tools over Streamable HTTP with the SDK's own client: each answers what the HTTP API answers for the same thing. */
class McpHttpToolsTest {
    private static TestServer server;
    private static Http http;
    private static McpSyncClient mcp;
    private static final String CLIENT = "tools-test-client";

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = server.http();
        mcp = McpTesting.http(server.baseUrl(), CLIENT);
    }

    @AfterAll
    static void stop() {
        if (mcp != null) {
            mcp.closeGracefully();
        }
        server.close();
    }

    /** A client of its own with a unique name, so its audit rows are found by actor. */
    private static McpSyncClient namedClient(String name) {
        return McpTesting.http(server.baseUrl(), name);
    }

    private static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<JsonNode> auditOf(String actor) {
        Http.Response r = http.get("/api/v1/audit?actor=" + URLEncoder.encode(actor, StandardCharsets.UTF_8));
        assertThat(r.status()).as("audit: %s", r).isEqualTo(200);
        return StreamSupport.stream(r.json().path("items").spliterator(), false).toList();
    }

    private static JsonNode httpEntry(String id) {
        String kind = id.startsWith("MNL-") ? "manuals" : "experiences";
        Http.Response r = http.get("/api/v1/" + kind + "/" + id);
        assertThat(r.status()).as("GET %s: %s", id, r).isEqualTo(200);
        return r.json();
    }

    private static List<String> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.path("id").asString()).toList();
    }

    private static Map<String, Object> experienceData(String title, String playbook) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("section", "useful");
        data.put("title", title);
        data.put("playbook", playbook);
        return data;
    }

    @Test
    void theHandshakeNamesTheServerItsCapabilitiesAndHttpServing() {
        McpSchema.InitializeResult init = mcp.getCurrentInitializationResult();
        assertThat(init.serverInfo().name()).isEqualTo("chl");
        assertThat(init.serverInfo().version()).isEqualTo(ChlMcpServer.VERSION);
        assertThat(init.capabilities().tools()).isNotNull();
        assertThat(init.capabilities().resources()).isNotNull();
        assertThat(init.capabilities().prompts()).isNotNull();
        assertThat(init.instructions()).contains("list_categories", "read_entries", "create_entry", "check_duplicates",
                "get_guidelines", "Served from: this CHL server");
    }

    @Test
    void toolsListNamesTheSixToolsWithStrictInputSchemas() {
        List<McpSchema.Tool> tools = mcp.listTools().tools();
        Map<String, McpSchema.Tool> byName = tools.stream().collect(Collectors.toMap(McpSchema.Tool::name, Function.identity()));
        assertThat(byName).containsOnlyKeys("list_categories", "read_entries", "create_entry", "update_entry",
                "check_duplicates", "get_guidelines");
        assertThat(tools).hasSize(6).allSatisfy(t -> {
            assertThat(t.description()).as("%s description", t.name()).hasSizeGreaterThan(30);
            JsonNode schema = JSON.valueToTree(t.inputSchema());
            assertThat(schema.path("type").asString()).as("%s schema type", t.name()).isEqualTo("object");
            assertThat(schema.path("additionalProperties").asBoolean(true)).as("%s rejects unknown arguments", t.name()).isFalse();
            for (JsonNode required : schema.path("required")) {
                assertThat(schema.path("properties").has(required.asString())).as("%s: required %s is a property", t.name(), required)
                        .isTrue();
            }
            schema.path("properties").properties().forEach(p -> assertThat(p.getValue().path("description").asString())
                    .as("%s.%s is described", t.name(), p.getKey()).isNotBlank());
        });

        assertSchema(byName.get("list_categories"), List.of(), List.of());
        assertSchema(byName.get("read_entries"), List.of("entity_type", "category_code", "query", "ids", "fields", "limit"),
                List.of("entity_type"));
        assertSchema(byName.get("create_entry"), List.of("entity_type", "category_code", "data"),
                List.of("entity_type", "category_code", "data"));
        assertSchema(byName.get("update_entry"), List.of("entity_type", "entry_id", "updates", "expected_updated_at"),
                List.of("entity_type", "entry_id", "updates"));
        assertSchema(byName.get("check_duplicates"), List.of("entity_type", "category_code", "title", "body"),
                List.of("entity_type", "title", "body"));
        assertSchema(byName.get("get_guidelines"), List.of("guide_type"), List.of("guide_type"));

        JsonNode read = JSON.valueToTree(byName.get("read_entries").inputSchema()).path("properties");
        assertThat(strings(read.path("entity_type").path("enum"))).containsExactly("experience", "manual");
        assertThat(strings(read.path("fields").path("enum"))).containsExactly("preview", "full");
        assertThat(read.path("limit").path("type").asString()).isEqualTo("integer");
        assertThat(read.path("limit").path("minimum").asInt()).isEqualTo(1);
        assertThat(read.path("limit").path("maximum").asInt()).isEqualTo(50);
        assertThat(read.path("ids").path("type").asString()).isEqualTo("array");
        assertThat(read.path("ids").path("items").path("type").asString()).isEqualTo("string");
        JsonNode create = JSON.valueToTree(byName.get("create_entry").inputSchema()).path("properties");
        assertThat(create.path("data").path("type").asString()).isEqualTo("object");
        assertThat(strings(create.path("entity_type").path("enum"))).containsExactly("experience", "manual");
        JsonNode guide = JSON.valueToTree(byName.get("get_guidelines").inputSchema()).path("properties");
        assertThat(strings(guide.path("guide_type").path("enum"))).containsExactly("generator", "evaluator");
    }

    private static void assertSchema(McpSchema.Tool tool, List<String> properties, List<String> required) {
        JsonNode schema = JSON.valueToTree(tool.inputSchema());
        assertThat(schema.path("properties").propertyNames()).as("%s properties", tool.name()).containsExactlyInAnyOrderElementsOf(properties);
        assertThat(strings(schema.path("required"))).as("%s required", tool.name()).containsExactlyInAnyOrderElementsOf(required);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    @Test
    void listCategoriesIsTheApiCategoryList() {
        String code = Fixtures.newCategory(http);
        Fixtures.createExperience(http, code, "one on the shelf");
        Fixtures.createManual(http, code, "background of the shelf");

        JsonNode categories = ok(mcp, "list_categories", Map.of()).path("categories");
        assertThat(categories).isEqualTo(http.get("/api/v1/categories").json().path("categories"));
        JsonNode mine = StreamSupport.stream(categories.spliterator(), false).filter(c -> c.path("code").asString().equals(code))
                .findFirst().orElseThrow();
        assertThat(mine.path("experience_count").asLong()).isEqualTo(1);
        assertThat(mine.path("manual_count").asLong()).isEqualTo(1);
        assertThat(StreamSupport.stream(categories.spliterator(), false).map(c -> c.path("code").asString()))
                .contains("GLN", "TST", code);
    }

    @Test
    void createEntryStoresTheExperienceTheApiServesAuditedAsMcpWithTheClientsName() {
        String code = Fixtures.newCategory(http);
        String client = uniqueName("creator");
        McpSyncClient own = namedClient(client);
        try {
            Map<String, Object> data = experienceData("Quarantine flaky tests behind a tag", "Tag the test, file an issue, fix within a week.");
            data.put("context", "CI with more than one flaky test a week");
            JsonNode answer = ok(own, "create_entry", Map.of("entity_type", "experience", "category_code", code, "data", data));

            JsonNode entry = answer.path("entry");
            String id = entry.path("id").asString();
            assertThat(id).matches("EXP-" + code + "-\\d{8}-\\d{9}(-[a-z0-9]+)?");
            assertThat(entry.path("kind").asString()).isEqualTo("experience");
            assertThat(entry.path("category_code").asString()).isEqualTo(code);
            assertThat(entry.path("section").asString()).isEqualTo("useful");
            assertThat(entry.path("title").asString()).isEqualTo("Quarantine flaky tests behind a tag");
            assertThat(entry.path("playbook").asString()).isEqualTo("Tag the test, file an issue, fix within a week.");
            assertThat(entry.path("context").asString()).isEqualTo("CI with more than one flaky test a week");
            assertThat(entry.path("source").asString()).isEqualTo("local");
            assertThat(entry.path("sync_status").asString()).isEqualTo("pending");
            assertThat(entry.path("author").asString()).as("the client's name is the author").isEqualTo(client);
            assertThat(answer.path("duplicates").isArray()).isTrue();
            assertThat(answer.path("guidance").asString()).isNotBlank();
            assertThat(Fixtures.stable(httpEntry(id))).as("the API serves the same entry").isEqualTo(Fixtures.stable(entry));

            List<JsonNode> audit = auditOf(client);
            assertThat(audit).hasSize(1);
            assertThat(audit.getFirst().path("action").asString()).isEqualTo("entry.create");
            assertThat(audit.getFirst().path("source").asString()).isEqualTo("mcp");
            assertThat(audit.getFirst().path("actor").asString()).isEqualTo(client);
            assertThat(audit.getFirst().path("details").path("id").asString()).isEqualTo(id);
        } finally {
            own.closeGracefully();
        }
    }

    @Test
    void createEntryStoresAManual() {
        String code = Fixtures.newCategory(http);
        JsonNode answer = ok(mcp, "create_entry", Map.of("entity_type", "manual", "category_code", code,
                "data", Map.of("title", "How this shelf is organised", "content", "Long form.\n\nWith paragraphs.", "summary", "In short.")));
        JsonNode entry = answer.path("entry");
        assertThat(entry.path("id").asString()).startsWith("MNL-" + code + "-");
        assertThat(entry.path("kind").asString()).isEqualTo("manual");
        assertThat(entry.path("content").asString()).isEqualTo("Long form.\n\nWith paragraphs.");
        assertThat(entry.path("summary").asString()).isEqualTo("In short.");
        assertThat(entry.path("author").asString()).isEqualTo(CLIENT);
        assertThat(Fixtures.stable(httpEntry(entry.path("id").asString()))).isEqualTo(Fixtures.stable(entry));
        assertThat(http.get("/api/v1/categories/" + code).json().path("manual_count").asLong()).isEqualTo(1);
    }

    @Test
    void createEntryAnswersWithItsDuplicateCheck() {
        String code = Fixtures.newCategory(http);
        String title = "Retry idempotent HTTP calls with jittered backoff " + UUID.randomUUID().toString().substring(0, 4);
        String playbook = "Retry GET and PUT on 503 and connection resets with exponential backoff and full jitter, at most three times.";
        String first = ok(mcp, "create_entry", Map.of("entity_type", "experience", "category_code", code,
                "data", experienceData(title, playbook))).path("entry").path("id").asString();
        awaitEmbedded(http, List.of(first));

        JsonNode again = ok(mcp, "create_entry", Map.of("entity_type", "experience", "category_code", code,
                "data", experienceData(title, playbook)));
        JsonNode top = again.path("duplicates").path(0);
        assertThat(top.path("id").asString()).as("the near-copy is reported: %s", again).isEqualTo(first);
        assertThat(top.path("kind").asString()).isEqualTo("experience");
        assertThat(top.path("title").asString()).isEqualTo(title);
        assertThat(top.path("score").asDouble()).isGreaterThanOrEqualTo(0.85);
        assertThat(again.path("guidance").asString()).startsWith("Too close to " + first).contains("refactor");
    }

    @Test
    void updateEntryChangesOnlyTheGivenFieldsAuditedAsMcp() {
        String code = Fixtures.newCategory(http);
        JsonNode created = Fixtures.createExperience(http, code, "Before the edit");
        String id = created.path("id").asString();
        String client = uniqueName("editor");
        McpSyncClient own = namedClient(client);
        try {
            JsonNode updated = ok(own, "update_entry", Map.of("entity_type", "experience", "entry_id", id,
                    "updates", Map.of("title", "After the edit"))).path("entry");
            assertThat(updated.path("id").asString()).isEqualTo(id);
            assertThat(updated.path("title").asString()).isEqualTo("After the edit");
            assertThat(updated.path("playbook").asString()).as("kept").isEqualTo(created.path("playbook").asString());
            assertThat(updated.path("section").asString()).as("kept").isEqualTo("useful");
            assertThat(updated.path("author").asString()).as("kept").isEqualTo(created.path("author").asString());
            assertThat(updated.path("created_at").asString()).isEqualTo(created.path("created_at").asString());
            assertThat(Fixtures.stable(httpEntry(id))).isEqualTo(Fixtures.stable(updated));

            List<JsonNode> audit = auditOf(client);
            assertThat(audit).hasSize(1);
            assertThat(audit.getFirst().path("action").asString()).isEqualTo("entry.update");
            assertThat(audit.getFirst().path("source").asString()).isEqualTo("mcp");
            assertThat(audit.getFirst().path("details").path("id").asString()).isEqualTo(id);
            assertThat(strings(audit.getFirst().path("details").path("changed"))).containsExactly("title");
        } finally {
            own.closeGracefully();
        }
    }

    @Test
    void updateEntryWithTheVersionReadRefusesToOverwriteALaterEdit() {
        String code = Fixtures.newCategory(http);
        JsonNode created = Fixtures.createExperience(http, code, "Read by the assistant");
        String id = created.path("id").asString();
        String readAt = ok(mcp, "read_entries", Map.of("entity_type", "experience", "ids", List.of(id)))
                .path("entries").path(0).path("updated_at").asString();
        Http.Response human = http.patch("/api/v1/experiences/" + id, Map.of("title", "Edited by a person meanwhile"));
        assertThat(human.status()).as("%s", human).isEqualTo(200);

        McpSchema.CallToolResult stale = McpTesting.toolError(mcp, "update_entry", Map.of("entity_type", "experience",
                "entry_id", id, "updates", Map.of("playbook", "The assistant's stale rewrite."), "expected_updated_at", readAt));
        assertThat(McpTesting.structured(stale).path("error").asString()).isEqualTo("conflict");
        assertThat(McpTesting.structured(stale).path("updated_at").asString()).as("the version to read again")
                .isEqualTo(human.json().path("updated_at").asString());
        assertThat(McpTesting.text(stale)).contains("nothing was saved");
        JsonNode stored = httpEntry(id);
        assertThat(stored.path("title").asString()).isEqualTo("Edited by a person meanwhile");
        assertThat(stored.path("playbook").asString()).as("unchanged").isEqualTo(created.path("playbook").asString());

        JsonNode updated = ok(mcp, "update_entry", Map.of("entity_type", "experience", "entry_id", id,
                "updates", Map.of("playbook", "The assistant's rewrite on the current version."),
                "expected_updated_at", stored.path("updated_at").asString())).path("entry");
        assertThat(updated.path("playbook").asString()).isEqualTo("The assistant's rewrite on the current version.");
        assertThat(updated.path("title").asString()).as("the person's edit kept").isEqualTo("Edited by a person meanwhile");

        assertThat(McpTesting.fieldErrors(McpTesting.toolError(mcp, "update_entry", Map.of("entity_type", "experience",
                "entry_id", id, "updates", Map.of("title", "x"), "expected_updated_at", "yesterday"))))
                .containsOnlyKeys("expected_updated_at");
    }

    @Test
    void updateEntryChangesAManual() {
        String code = Fixtures.newCategory(http);
        String id = Fixtures.createManual(http, code, "A manual").path("id").asString();
        JsonNode updated = ok(mcp, "update_entry", Map.of("entity_type", "manual", "entry_id", id,
                "updates", Map.of("content", "Rewritten content.", "summary", "Now summarised."))).path("entry");
        assertThat(updated.path("content").asString()).isEqualTo("Rewritten content.");
        assertThat(updated.path("summary").asString()).isEqualTo("Now summarised.");
        assertThat(updated.path("title").asString()).isEqualTo("A manual");
        assertThat(Fixtures.stable(httpEntry(id))).isEqualTo(Fixtures.stable(updated));
    }

    @Test
    void readEntriesByIdsGivesTheFullEntriesAndNamesTheMissingOnes() {
        String code = Fixtures.newCategory(http);
        String a = Fixtures.createExperience(http, code, "first by id").path("id").asString();
        String m = Fixtures.createManual(http, code, "a manual by id").path("id").asString();
        String missing = "EXP-" + code + "-20200101-000000000";

        JsonNode answer = ok(mcp, "read_entries", Map.of("entity_type", "experience", "ids", List.of(a, missing, m, "not-an-id")));
        assertThat(ids(answer.path("entries"))).containsExactly(a, m);
        assertThat(Fixtures.stable(answer.path("entries").path(0))).isEqualTo(Fixtures.stable(httpEntry(a)));
        assertThat(Fixtures.stable(answer.path("entries").path(1))).isEqualTo(Fixtures.stable(httpEntry(m)));
        assertThat(strings(answer.path("missing_ids"))).containsExactly(missing, "not-an-id");

        JsonNode allThere = ok(mcp, "read_entries", Map.of("entity_type", "experience", "ids", List.of(a)));
        assertThat(allThere.has("missing_ids")).as("no missing_ids when none is missing").isFalse();
    }

    @Test
    void readEntriesByQueryRanksExactlyLikeTheSearchApi() {
        String code = Fixtures.newCategory(http);
        List<String> created = new ArrayList<>();
        created.add(Fixtures.create(http, "experiences", body(code, "Index foreign keys used in joins",
                "Add an index on every foreign key column that joins or cascading deletes scan.")).path("id").asString());
        created.add(Fixtures.create(http, "experiences", body(code, "Run schema migrations in a transaction",
                "Wrap each migration in one transaction so a failure leaves the schema as it was.")).path("id").asString());
        created.add(Fixtures.create(http, "experiences", body(code, "Never store secrets in the database",
                "Keep credentials in files with mode 0600 and store only a path and a checksum.")).path("id").asString());
        created.add(Fixtures.create(http, "experiences", body(code, "Paginate with cursors, not offsets",
                "Offsets skip and repeat rows while data changes; use a cursor over a unique sort key.")).path("id").asString());
        created.add(Fixtures.create(http, "experiences", body(code, "Explain slow queries before adding indexes",
                "Read the query plan first; an index that the planner does not use only slows writes.")).path("id").asString());
        awaitEmbedded(http, created);

        String query = "[SEARCH] database index for slow joins [TASK] speed up a report query";
        // In the category, and across the whole library.
        compareWithSearchApi(query, code, 3);
        compareWithSearchApi(query, null, 10);
        compareWithSearchApi("[SEARCH] migration transaction", code, 5);

        JsonNode full = ok(mcp, "read_entries", Map.of("entity_type", "experience", "category_code", code, "query", query,
                "fields", "full", "limit", 2));
        assertThat(full.path("entries")).hasSize(2);
        for (JsonNode e : full.path("entries")) {
            tools.jackson.databind.node.ObjectNode withoutRank = (tools.jackson.databind.node.ObjectNode) Fixtures.stable(e);
            withoutRank.remove("score");
            withoutRank.remove("matched_by");
            assertThat((JsonNode) withoutRank).as("a full result is the whole entry").isEqualTo(Fixtures.stable(httpEntry(e.path("id").asString())));
            assertThat(e.path("matched_by").isArray()).isTrue();
        }
        assertThat(full.has("hint")).as("full bodies need no hint").isFalse();
    }

    private static Map<String, Object> body(String code, String title, String playbook) {
        Map<String, Object> body = Fixtures.experience(code, title);
        body.put("playbook", playbook);
        return body;
    }

    private void compareWithSearchApi(String query, String category, int limit) {
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("query", query);
        search.put("kind", "experience");
        if (category != null) {
            search.put("category", category);
        }
        search.put("limit", limit);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("entity_type", "experience");
        args.put("query", query);
        if (category != null) {
            args.put("category_code", category);
        }
        args.put("limit", limit);

        eventually(Duration.ofSeconds(10), () -> {
            JsonNode api = http.post("/api/v1/search", search).json();
            JsonNode viaMcp = ok(mcp, "read_entries", args);
            assertThat(api.path("mode").asString()).as("vectors are in: hybrid").isEqualTo("hybrid");
            assertThat(viaMcp.path("mode").asString()).isEqualTo(api.path("mode").asString());
            assertThat(ids(api.path("results"))).as("the API found something for %s", query).isNotEmpty();
            assertThat(ids(viaMcp.path("entries"))).as("read_entries %s ranks like POST /api/v1/search", args)
                    .containsExactlyElementsOf(ids(api.path("results")));
            for (int i = 0; i < api.path("results").size(); i++) {
                JsonNode r = api.path("results").path(i);
                JsonNode e = viaMcp.path("entries").path(i);
                assertThat(e.path("title").asString()).isEqualTo(r.path("title").asString());
                assertThat(e.path("snippet").asString()).isEqualTo(r.path("snippet").asString());
                assertThat(e.path("category_code").asString()).isEqualTo(r.path("category_code").asString());
                assertThat(e.path("score").asDouble()).isEqualTo(r.path("score").asDouble());
                assertThat(e.path("matched_by")).isEqualTo(r.path("matched_by"));
            }
            assertThat(viaMcp.path("hint").asString()).as("previews say how to get the full text").contains("ids");
        });
    }

    @Test
    void readEntriesByCategoryGivesASmallShelfWholeNewestFirst() {
        String code = Fixtures.newCategory(http);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(Fixtures.createExperience(http, code, "small shelf entry " + i).path("id").asString());
        }
        JsonNode answer = ok(mcp, "read_entries", Map.of("entity_type", "experience", "category_code", code));
        assertThat(answer.path("category_code").asString()).isEqualTo(code);
        assertThat(answer.path("total").asLong()).isEqualTo(3);
        assertThat(answer.has("hint")).isFalse();
        JsonNode items = http.get("/api/v1/experiences?category=" + code).json().path("items");
        assertThat(ids(answer.path("entries"))).containsExactlyElementsOf(ids(items)).containsExactlyInAnyOrderElementsOf(created);
        for (int i = 0; i < items.size(); i++) {
            assertThat(Fixtures.stable(answer.path("entries").path(i))).as("whole entries").isEqualTo(Fixtures.stable(items.path(i)));
        }
        JsonNode manuals = ok(mcp, "read_entries", Map.of("entity_type", "manual", "category_code", code));
        assertThat(manuals.path("total").asLong()).isZero();
        assertThat(manuals.path("entries")).isEmpty();
    }

    @Test
    void previewsAndSnippetsCutLongBodiesBetweenCharacters() {
        String code = Fixtures.newCategory(http);
        String rockets = "🚀".repeat(300);
        String mixed = "Ship it 🚀🚀 then verify the 👩‍👩‍👧 dashboards, naïve café checks 🇩🇪 ".repeat(8);
        Map<String, Object> rocketBody = Fixtures.experience(code, "Rocket launch checklist");
        rocketBody.put("playbook", rockets);
        Map<String, Object> mixedBody = Fixtures.experience(code, "Deployment verification routine");
        mixedBody.put("playbook", mixed);
        String rocketId = Fixtures.create(http, "experiences", rocketBody).path("id").asString();
        Fixtures.create(http, "experiences", mixedBody);

        JsonNode previews = ok(mcp, "read_entries", Map.of("entity_type", "experience", "category_code", code, "fields", "preview"));
        assertThat(previews.path("entries")).hasSize(2);
        for (JsonNode e : previews.path("entries")) {
            String snippet = e.path("snippet").asString();
            assertThat(snippet).hasSizeLessThanOrEqualTo(160).endsWith("…").doesNotContain("\ufffd", "?");
            assertThat(dev.chl.common.Text.unstorable(snippet)).as(snippet).isNull();
            assertThat(e.path("id").asString().equals(rocketId) ? rockets : mixed).startsWith(snippet.substring(0, snippet.length() - 1));
        }

        awaitEmbedded(http, List.of(rocketId));
        JsonNode found = ok(mcp, "read_entries", Map.of("entity_type", "experience", "category_code", code,
                "query", "Rocket launch checklist", "limit", 1));
        assertThat(found.path("entries").path(0).path("snippet").asString()).isEqualTo("🚀".repeat(109) + "…");
    }

    @Test
    void aLongClientNameIsCutBetweenCharactersForTheAuthor() {
        String name = "a".repeat(99) + "🚀🚀";
        McpSyncClient client = namedClient(name);
        try {
            String code = Fixtures.newCategory(http);
            JsonNode created = ok(client, "create_entry", Map.of("entity_type", "experience", "category_code", code,
                    "data", experienceData("Named by a long client", "The author is the client's name, cut to 100.")));
            assertThat(created.path("entry").path("author").asString()).isEqualTo("a".repeat(99));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void aClientNameWithControlCharactersOrLineBreaksIsCleanedForTheAuthorAndTheAudit() {
        McpSyncClient client = namedClient("a\u0000b\u001b[31mred\nline2\u2028");
        try {
            String code = Fixtures.newCategory(http);
            JsonNode created = ok(client, "create_entry", Map.of("entity_type", "experience", "category_code", code,
                    "data", experienceData("Named by an odd client", "Control characters never reach the store.")));
            String author = created.path("entry").path("author").asString();
            assertThat(author).isEqualTo("a b [31mred line2");
            JsonNode audit = http.get("/api/v1/audit?action=entry.create&limit=5").json().path("items");
            assertThat(audit.toString()).contains("a b [31mred line2").doesNotContain("\\u0000", "\\u001b", "\\n");
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void readEntriesByCategoryPreviewsALargeShelfAndSaysHowToGetMore() {
        String code = Fixtures.newCategory(http);
        for (int i = 0; i < ReadEntries.SMALL_SHELF + 5; i++) {
            Map<String, Object> body = Fixtures.experience(code, "large shelf entry " + i);
            body.put("playbook", "Step one for entry " + i + ".\n\n" + "Then a long explanation. ".repeat(20));
            Fixtures.create(http, "experiences", body);
        }
        int total = ReadEntries.SMALL_SHELF + 5;
        JsonNode items = http.get("/api/v1/experiences?category=" + code + "&limit=100").json().path("items");

        JsonNode previews = ok(mcp, "read_entries", Map.of("entity_type", "experience", "category_code", code));
        assertThat(previews.path("total").asLong()).isEqualTo(total);
        assertThat(ids(previews.path("entries"))).as("the newest %d", ReadEntries.DEFAULT_LIMIT)
                .containsExactlyElementsOf(ids(items).subList(0, ReadEntries.DEFAULT_LIMIT));
        JsonNode first = previews.path("entries").path(0);
        assertThat(first.propertyNames()).containsExactlyInAnyOrder("id", "title", "section", "snippet");
        assertThat(first.path("title").asString()).isEqualTo(items.path(0).path("title").asString());
        assertThat(first.path("snippet").asString()).hasSizeLessThanOrEqualTo(160).startsWith("Step one for entry").endsWith("…")
                .doesNotContain("\n");
        assertThat(previews.path("hint").asString()).contains("newest 10 of " + total, "ids");

        JsonNode full = ok(mcp, "read_entries", Map.of("entity_type", "experience", "category_code", code, "fields", "full", "limit", 4));
        assertThat(ids(full.path("entries"))).containsExactlyElementsOf(ids(items).subList(0, 4));
        assertThat(Fixtures.stable(full.path("entries").path(0))).isEqualTo(Fixtures.stable(items.path(0)));
        assertThat(full.path("hint").asString()).contains("newest 4 of " + total);

        JsonNode all = ok(mcp, "read_entries", Map.of("entity_type", "experience", "category_code", code, "limit", 50));
        assertThat(ids(all.path("entries"))).containsExactlyElementsOf(ids(items));
        assertThat(all.has("hint")).isFalse();
    }

    @Test
    void checkDuplicatesAnswersLikeTheDuplicatesApi() {
        String code = Fixtures.newCategory(http);
        String title = "Close database connections in finally blocks " + UUID.randomUUID().toString().substring(0, 4);
        String playbook = "Open connections in try-with-resources so every path, including exceptions, returns them to the pool.";
        String id = Fixtures.create(http, "experiences", body(code, title, playbook)).path("id").asString();
        awaitEmbedded(http, List.of(id));

        JsonNode close = ok(mcp, "check_duplicates", Map.of("entity_type", "experience", "category_code", code, "title", title, "body", playbook));
        assertThat(ids(close.path("matches"))).containsExactly(id);
        assertThat(close.path("matches").path(0).path("score").asDouble()).isGreaterThanOrEqualTo(0.85);
        assertThat(close.path("guidance").asString()).startsWith("Too close to " + id);
        JsonNode api = http.post("/api/v1/search/duplicates", Map.of("kind", "experience", "category_code", code, "title", title,
                "body", playbook)).json();
        assertThat(close).isEqualTo(api);

        JsonNode unrelated = ok(mcp, "check_duplicates", Map.of("entity_type", "experience", "category_code", code,
                "title", "Bake sourdough at high heat", "body", "Preheat the oven and the pot for an hour before the loaf goes in."));
        assertThat(unrelated.path("matches")).isEmpty();
        assertThat(unrelated.path("guidance").asString()).startsWith("No close entries");

        JsonNode anyShelf = ok(mcp, "check_duplicates", Map.of("entity_type", "experience", "title", title, "body", playbook));
        assertThat(ids(anyShelf.path("matches"))).as("without a category every shelf is checked").contains(id);
        JsonNode manuals = ok(mcp, "check_duplicates", Map.of("entity_type", "manual", "category_code", code, "title", title, "body", playbook));
        assertThat(ids(manuals.path("matches"))).as("kinds are not mixed").doesNotContain(id);
    }

    @Test
    void checkDuplicatesStatesNoFixedThresholdAndItsGuidanceFollowsTheSettings() {
        String description = mcp.listTools().tools().stream().filter(t -> t.name().equals("check_duplicates"))
                .findFirst().orElseThrow().description();
        assertThat(description).contains("thresholds", "settings", "by default 0.85", "0.60").doesNotContain("≥");
        assertThat(ok(mcp, "get_guidelines", Map.of("guide_type", "evaluator")).path("content").asString())
                .as("the seeded evaluator guide").contains("thresholds (settings; by default 0.85 and 0.60)").doesNotContain("≥");

        String code = Fixtures.newCategory(http);
        String title = "Release pooled sockets after each call " + UUID.randomUUID().toString().substring(0, 4);
        String id = Fixtures.create(http, "experiences", body(code, title,
                "Return every socket to the pool in a finally block so errors do not leak them.")).path("id").asString();
        awaitEmbedded(http, List.of(id));
        Map<String, Object> args = Map.of("entity_type", "experience", "category_code", code, "title", title,
                "body", "Give sockets back to the pool in finally, so an exception never leaks one; log the ones held long.");
        double score = ok(mcp, "check_duplicates", args).path("matches").path(0).path("score").asDouble();
        assertThat(score).as("a near but not identical text").isBetween(0.6, 0.999);
        try {
            assertThat(http.put("/api/v1/settings/search", Map.of("too_close_threshold", 1.0, "related_threshold", 0.5)).status())
                    .isEqualTo(200);
            JsonNode related = ok(mcp, "check_duplicates", args);
            assertThat(related.path("guidance").asString()).as("the thresholds in force, not 0.85").startsWith("Related to " + id);
            Map<String, Object> api = new LinkedHashMap<>(args);
            api.put("kind", api.remove("entity_type"));
            assertThat(related).as("the shared service's answer").isEqualTo(http.post("/api/v1/search/duplicates", api).json());

            assertThat(http.put("/api/v1/settings/search", Map.of("related_threshold", 0.01, "too_close_threshold", 0.02)).status())
                    .isEqualTo(200);
            assertThat(ok(mcp, "check_duplicates", args).path("guidance").asString()).startsWith("Too close to " + id);
        } finally {
            assertThat(http.put("/api/v1/settings/search", Map.of("too_close_threshold", 0.85, "related_threshold", 0.60)).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void getGuidelinesGivesEachSeededGuide() {
        for (String type : List.of("generator", "evaluator")) {
            JsonNode guide = ok(mcp, "get_guidelines", Map.of("guide_type", type));
            String id = "generator".equals(type) ? "MNL-GLN-20260101-000000001" : "MNL-GLN-20260101-000000002";
            JsonNode manual = httpEntry(id);
            assertThat(guide.path("guide_type").asString()).isEqualTo(type);
            assertThat(guide.path("id").asString()).isEqualTo(id);
            assertThat(guide.path("title").asString()).isEqualTo(manual.path("title").asString());
            assertThat(guide.path("content").asString()).isEqualTo(manual.path("content").asString()).contains("CHL " + type + " guide");
        }
    }
}
