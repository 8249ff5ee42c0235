package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ChlApi;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/search} on a small fixture (twenty experiences on four shelves, two manuals): reworded
 * questions find their entry, the assistant query form works, filters restrict, results are complete, and bad
 * requests are refused with a problem document.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiTest {
    private static final String BAIT = "RMK";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private Map<String, String> ids;
    private String baitId;

    @BeforeAll
    void loadFixture() {
        ids = RelevanceFixture.load(server.api());
        server.api().category(BAIT);
        // An entry made of the marker words: if [SEARCH] / [TASK] were searched as words, it would match lexically.
        baitId = server.api().experience(BAIT, "Search and task tracker", "Search task. Search the task list; task search notes.");
        server.api().awaitEmbedded(List.copyOf(ids.values()));
        server.api().awaitEmbedded(baitId);
    }

    @ParameterizedTest(name = "{1} -> {0}")
    @CsvSource(delimiter = '|', textBlock = """
            migration   | changing an old schema change script after release
            regression  | reproduce a defect first so it never comes back
            flaky       | nondeterministic suite results
            timeout     | network request hangs forever waiting for an answer
            breaker     | stop hammering a downstream service that is down
            backoff     | reconnect attempts should wait progressively longer
            correlation | follow a single user action across many microservices
            secrets     | API key accidentally pushed to the git repository
            passwords   | how to safely keep user login credentials
            xss         | attacker injects a script tag into a comment page
            """)
    void rewordedQuestionFindsItsEntryInTheTopThree(String key, String query) {
        RelevanceFixture.Item item = RelevanceFixture.item(key);
        assertThat(intersection(words(query), words(item.title())))
                .as("the query must not share a content word with the title '%s'", item.title())
                .isEmpty();

        JsonNode answer = server.api().search(query);

        assertThat(answer.path("mode").asString()).isEqualTo("hybrid");
        assertThat(ChlApi.ids(answer)).as("results for '%s'", query).hasSizeGreaterThanOrEqualTo(3);
        assertThat(ChlApi.ids(answer).subList(0, 3)).as("top three for '%s' in %s", query, titles(answer)).contains(ids.get(key));
    }

    @Test
    void assistantQueryFormFindsTheEntry() {
        String query = "[SEARCH] remote request hangs forever [TASK] writing an HTTP client for the payment provider";

        JsonNode answer = server.api().search(query);

        assertThat(ChlApi.ids(answer).subList(0, 3)).as(titles(answer).toString()).contains(ids.get("timeout"));
    }

    @Test
    void markersAreStructureNotWords() {
        // Control: the bait does match the marker words lexically when they are sent as plain words.
        JsonNode plain = server.api().search("search task", "experience", BAIT, 10);
        assertThat(matchedBy(plain, baitId)).contains("lexical");

        for (String query : List.of(
                "[SEARCH] remote request hangs forever [TASK] writing an HTTP client for the payment provider",
                "[search] remote request hangs forever [task] writing an HTTP client for the payment provider",
                "[Task] writing an HTTP client [Search] remote request hangs forever")) {
            JsonNode answer = server.api().search(query, "experience", BAIT, 10);
            assertThat(ChlApi.ids(answer)).as("the vector path still sees the bait for %s", query).contains(baitId);
            assertThat(matchedBy(answer, baitId)).as("matched_by of the bait for %s", query).doesNotContain("lexical");
        }
    }

    @Test
    void aQueryPastedFromAColouredLogIsSearchedNotRefused() {
        Http.Response r = server.http().post("/api/v1/search", Map.of("query", "\u001b[31mconnection pool exhausted\u001b[0m\u0007"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("results").isArray()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[SEARCH] [TASK]", "[TASK]", " [search]  "})
    void onlyMarkersIsRefusedSayingWhatToSend(String query) {
        Http.Response r = server.http().post("/api/v1/search", Map.of("query", query));
        assertProblem(r, "query");
        assertThat(r.json().path("detail").asString()).contains("[SEARCH]");
    }

    @Test
    void kindFilterRestrictsResults() {
        String query = "what to do when the site is down";

        JsonNode manuals = server.api().search(query, "manual", null, 10);
        JsonNode experiences = server.api().search(query, "experience", null, 10);
        JsonNode all = server.api().search(query, "all", null, 50);

        assertThat(manuals.path("results")).isNotEmpty().allSatisfy(r -> assertThat(r.path("kind").asString()).isEqualTo("manual"));
        assertThat(ChlApi.ids(manuals)).contains(ids.get("runbook"), ids.get("style"));
        assertThat(experiences.path("results")).isNotEmpty().allSatisfy(r -> assertThat(r.path("kind").asString()).isEqualTo("experience"));
        assertThat(ChlApi.ids(experiences)).doesNotContain(ids.get("runbook"), ids.get("style"));
        assertThat(kinds(all)).contains("manual", "experience");
    }

    @Test
    void categoryFilterRestrictsResults() {
        String query = "stop hammering a downstream service that is down";

        JsonNode reliability = server.api().search(query, null, RelevanceFixture.RELIABILITY, 10);
        JsonNode security = server.api().search(query, "experience", RelevanceFixture.SECURITY, 10);

        assertThat(ChlApi.ids(reliability).getFirst()).isEqualTo(ids.get("breaker"));
        assertThat(reliability.path("results")).allSatisfy(r -> assertThat(r.path("category_code").asString()).isEqualTo("RRL"));
        assertThat(security.path("results")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.path("category_code").asString()).isEqualTo("RSC"));
        assertThat(ChlApi.ids(security)).doesNotContain(ids.get("breaker"));
        assertThat(server.api().search(query, null, "ZZZ", 10).path("results")).as("an unknown shelf holds nothing").isEmpty();
    }

    @Test
    void resultsCarryTheFieldsOfTheContract() {
        JsonNode answer = server.api().search(Map.of("query", "network request hangs forever waiting for an answer", "limit", 5));

        assertThat(answer.path("results")).hasSize(5);
        double previous = Double.MAX_VALUE;
        for (JsonNode r : answer.path("results")) {
            String id = r.path("id").asString();
            RelevanceFixture.Item item = itemOf(id);
            assertThat(r.path("kind").asString()).isIn("experience", "manual");
            assertThat(r.path("title").asString()).isNotBlank();
            if (item != null) {
                assertThat(r.path("title").asString()).isEqualTo(item.title());
                assertThat(r.path("category_code").asString()).isEqualTo(item.category());
                assertThat(item.body().replaceAll("\\s+", " ")).as("snippet of %s", id).contains(r.path("snippet").asString().replace("…", ""));
            }
            assertThat(r.path("snippet").asString()).isNotBlank().hasSizeLessThanOrEqualTo(Snippets.MAX);
            double score = r.path("score").asDouble();
            assertThat(score).isGreaterThan(0).isLessThanOrEqualTo(1.0).isLessThanOrEqualTo(previous);
            previous = score;
            List<String> matchedBy = new java.util.ArrayList<>();
            r.path("matched_by").forEach(m -> matchedBy.add(m.asString()));
            assertThat(matchedBy).isNotEmpty().doesNotHaveDuplicates().isSubsetOf("lexical", "vector");
        }
        JsonNode top = answer.path("results").get(0);
        assertThat(top.path("id").asString()).isEqualTo(ids.get("timeout"));
        assertThat(top.path("snippet").asString()).isEqualTo(RelevanceFixture.item("timeout").body());
        assertThat(top.path("matched_by").toString()).contains("lexical", "vector");
    }

    @Test
    void limitCapsTheResults() {
        assertThat(server.api().search(Map.of("query", "database", "limit", 1)).path("results")).hasSize(1);
        assertThat(server.api().search(Map.of("query", "how to safely keep user login credentials")).path("results"))
                .as("default limit").hasSize(10);
        assertThat(server.api().search(Map.of("query", "how to safely keep user login credentials", "limit", 50)).path("results"))
                .as("limit 50 returns every candidate there is").hasSizeGreaterThan(10);
    }

    // ---- validation ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {}                                        | query
            {"query":null}                            | query
            {"query":""}                              | query
            {"query":"   "}                           | query
            {"query":42}                              | query
            {"query":"x","kind":"entries"}            | kind
            {"query":"x","kind":"EXPERIENCE"}         | kind
            {"query":"x","category":"arch"}           | category
            {"query":"x","category":"ARCH"}           | category
            {"query":"x","category":"A1C"}            | category
            {"query":"x","limit":0}                   | limit
            {"query":"x","limit":51}                  | limit
            {"query":"x","limit":-3}                  | limit
            {"query":"x","limit":"ten"}               | limit
            {"query":"x","limit":2.5}                 | limit
            {"query":"x","sort":"newest"}             | sort
            """)
    void invalidSearchIsRefusedWithAProblem(String body, String field) {
        Http.Response r = server.http().raw("POST", "/api/v1/search", "application/json", body);

        assertProblem(r, field);
    }

    @Test
    void everyBadFieldIsReportedAtOnce() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "bad");
        body.put("category", "x");
        body.put("limit", 0);
        Http.Response r = server.http().post("/api/v1/search", body);

        assertThat(r.status()).isEqualTo(422);
        Set<String> fields = new HashSet<>();
        r.json().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("query", "kind", "category", "limit");
    }

    @Test
    void tooLongQueryIsRefused() {
        assertProblem(server.http().post("/api/v1/search", Map.of("query", "x".repeat(2001))), "query");
    }

    static void assertProblem(Http.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode problem = r.json();
        assertThat(problem.path("status").asInt()).isEqualTo(422);
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("detail").asString()).isNotBlank();
        assertThat(problem.path("errors").isArray()).isTrue();
        List<String> fields = new java.util.ArrayList<>();
        problem.path("errors").forEach(e -> {
            fields.add(e.path("field").asString());
            assertThat(e.path("message").asString()).isNotBlank();
        });
        assertThat(fields).contains(field);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private RelevanceFixture.Item itemOf(String id) {
        return ids.entrySet().stream().filter(e -> e.getValue().equals(id)).findFirst()
                .map(e -> RelevanceFixture.item(e.getKey())).orElse(null);
    }

    private static List<String> titles(JsonNode answer) {
        List<String> titles = new java.util.ArrayList<>();
        answer.path("results").forEach(r -> titles.add(r.path("title").asString() + " " + r.path("score").asDouble()));
        return titles;
    }

    private static Set<String> kinds(JsonNode answer) {
        Set<String> kinds = new HashSet<>();
        answer.path("results").forEach(r -> kinds.add(r.path("kind").asString()));
        return kinds;
    }

    private static List<String> matchedBy(JsonNode answer, String id) {
        List<String> paths = new java.util.ArrayList<>();
        answer.path("results").forEach(r -> {
            if (r.path("id").asString().equals(id)) {
                r.path("matched_by").forEach(m -> paths.add(m.asString()));
            }
        });
        return paths;
    }

    /** Content words as the index sees them (English stemming, stop words removed). */
    static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        try (EnglishAnalyzer analyzer = new EnglishAnalyzer(); TokenStream ts = analyzer.tokenStream("f", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                words.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return words;
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }
}
