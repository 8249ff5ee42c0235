package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class CategoriesApiTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    private static JsonNode listed(String code) {
        Http.Response r = server.http().get("/api/v1/categories");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        return StreamSupport.stream(r.json().path("categories").spliterator(), false)
                .filter(c -> c.path("code").asString().equals(code))
                .findFirst().orElse(null);
    }

    @Test
    void listHasTheSeededShelvesSortedByCodeWithCounts() {
        JsonNode categories = server.http().get("/api/v1/categories").json().path("categories");
        List<String> codes = StreamSupport.stream(categories.spliterator(), false).map(c -> c.path("code").asString()).toList();
        assertThat(codes).contains("GLN", "ARC", "API", "DAT", "TST", "ERR", "PRF", "SEC", "OPS", "DOC");
        assertThat(codes).isSorted();
        JsonNode gln = listed("GLN");
        assertThat(gln.path("name").asString()).isEqualTo("Guidelines");
        assertThat(gln.path("manual_count").asLong()).isEqualTo(2);
        assertThat(gln.path("experience_count").asLong()).isZero();
        assertThat(gln.path("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void createReturns201WithTheCategoryAndCountsFollowEntries() {
        String code = Fixtures.uniqueCode();
        Http.Response created = server.http().post("/api/v1/categories",
                Map.of("code", code, "name", "Caching", "description", "Cache rules"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.path("code").asString()).isEqualTo(code);
        assertThat(body.path("name").asString()).isEqualTo("Caching");
        assertThat(body.path("description").asString()).isEqualTo("Cache rules");
        assertThat(body.path("experience_count").asLong()).isZero();
        assertThat(body.path("manual_count").asLong()).isZero();
        assertThat(body.path("created_at").isString()).isTrue();

        Fixtures.createExperience(server.http(), code, "one");
        Fixtures.createExperience(server.http(), code, "two");
        Fixtures.createExperience(server.http(), code, "three");
        Fixtures.createManual(server.http(), code, "manual");

        JsonNode row = listed(code);
        assertThat(row).isNotNull();
        assertThat(row.path("experience_count").asLong()).isEqualTo(3);
        assertThat(row.path("manual_count").asLong()).isEqualTo(1);

        JsonNode one = server.http().get("/api/v1/categories/" + code).json();
        assertThat(one.path("experience_count").asLong()).isEqualTo(3);
        assertThat(one.path("manual_count").asLong()).isEqualTo(1);
        assertThat(one.path("name").asString()).isEqualTo("Caching");
    }

    @Test
    void descriptionIsOptional() {
        String code = Fixtures.uniqueCode();
        Http.Response created = server.http().post("/api/v1/categories", Map.of("code", code, "name", "No description"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("description").asString()).isEmpty();
    }

    @Test
    void getUnknownCategoryIs404Problem() {
        Http.Response r = server.http().get("/api/v1/categories/" + Fixtures.NEVER_CREATED);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.isProblem()).as(r.toString()).isTrue();
        assertThat(r.json().path("status").asInt()).isEqualTo(404);
        assertThat(r.json().path("detail").asString()).contains(Fixtures.NEVER_CREATED);
    }

    @Test
    void putRenamesAndRedescribesButKeepsCodeAndCreatedAt() {
        String code = Fixtures.newCategory(server.http());
        JsonNode before = server.http().get("/api/v1/categories/" + code).json();

        Http.Response renamed = server.http().put("/api/v1/categories/" + code, Map.of("name", "Renamed"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().path("name").asString()).isEqualTo("Renamed");
        assertThat(renamed.json().path("description").asString()).isEqualTo(before.path("description").asString());

        Http.Response described = server.http().put("/api/v1/categories/" + code, Map.of("description", "New words"));
        assertThat(described.status()).isEqualTo(200);
        assertThat(described.json().path("name").asString()).isEqualTo("Renamed");
        assertThat(described.json().path("description").asString()).isEqualTo("New words");
        assertThat(described.json().path("created_at").asString()).isEqualTo(before.path("created_at").asString());

        JsonNode stored = server.http().get("/api/v1/categories/" + code).json();
        assertThat(stored.path("name").asString()).isEqualTo("Renamed");
        assertThat(stored.path("description").asString()).isEqualTo("New words");
    }

    @Test
    void putRejectsAChangeOfCodeAndEmptyName() {
        String code = Fixtures.newCategory(server.http());
        Http.Response codeChange = server.http().put("/api/v1/categories/" + code, Map.of("code", "ZZZ"));
        assertThat(codeChange.status()).isEqualTo(422);
        assertThat(codeChange.json().path("errors").get(0).path("field").asString()).isEqualTo("code");

        Http.Response emptyName = server.http().put("/api/v1/categories/" + code, Map.of("name", "  "));
        assertThat(emptyName.status()).isEqualTo(422);
        assertThat(emptyName.json().path("errors")).hasSize(1);
        assertThat(emptyName.json().path("errors").get(0).path("field").asString()).isEqualTo("name");
        assertThat(server.http().get("/api/v1/categories/" + code).json().path("name").asString()).isEqualTo("Test shelf " + code);
    }

    @Test
    void putUnknownCategoryIs404() {
        Http.Response r = server.http().put("/api/v1/categories/" + Fixtures.NEVER_CREATED, Map.of("name", "x"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.isProblem()).isTrue();
    }

    @Test
    void deleteAnEmptyCategoryIs204AndItIsGone() {
        String code = Fixtures.newCategory(server.http());
        Http.Response r = server.http().delete("/api/v1/categories/" + code);
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(server.http().get("/api/v1/categories/" + code).status()).isEqualTo(404);
        assertThat(listed(code)).isNull();
        assertThat(server.http().delete("/api/v1/categories/" + code).status()).isEqualTo(404);
    }

    @Test
    void deleteIs409WhileTheCategoryHoldsEntriesAnd204Afterwards() {
        String code = Fixtures.newCategory(server.http());
        JsonNode experience = Fixtures.createExperience(server.http(), code, "keeps the shelf busy");
        JsonNode manual = Fixtures.createManual(server.http(), code, "also keeps it busy");

        Http.Response refused = server.http().delete("/api/v1/categories/" + code);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().path("detail").asString()).contains("1 experiences").contains("1 manuals");
        assertThat(server.http().get("/api/v1/categories/" + code).status()).isEqualTo(200);

        assertThat(server.http().delete("/api/v1/experiences/" + experience.path("id").asString()).status()).isEqualTo(204);
        assertThat(server.http().delete("/api/v1/categories/" + code).status()).as("still holds a manual").isEqualTo(409);
        assertThat(server.http().delete("/api/v1/manuals/" + manual.path("id").asString()).status()).isEqualTo(204);
        assertThat(server.http().delete("/api/v1/categories/" + code).status()).isEqualTo(204);
    }

    @Test
    void theGuidesShelfCannotBeDeleted() {
        // GLN holds the two seeded guides anyway, but the rule must hold even if they are removed.
        Http.Response r = server.http().delete("/api/v1/categories/GLN");
        assertThat(r.status()).isEqualTo(409);
        assertThat(server.http().get("/api/v1/categories/GLN").status()).isEqualTo(200);
    }

    @Test
    void duplicateCodeIs409AndKeepsTheOriginal() {
        String code = Fixtures.newCategory(server.http());
        Http.Response r = server.http().post("/api/v1/categories", Map.of("code", code, "name", "Impostor"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.json().path("detail").asString()).contains(code);
        assertThat(server.http().get("/api/v1/categories/" + code).json().path("name").asString()).isEqualTo("Test shelf " + code);

        assertThat(server.http().post("/api/v1/categories", Map.of("code", "ARC", "name", "Again")).status()).isEqualTo(409);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "AB", "ABCD", "A1C", "ÄBC", "A C", ""})
    void badCodeIs422OnTheCodeField(String code) {
        Http.Response r = server.http().post("/api/v1/categories", Map.of("code", code, "name", "Bad"));
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.isProblem()).isTrue();
        JsonNode errors = r.json().path("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).path("field").asString()).isEqualTo("code");
        assertThat(errors.get(0).path("message").asString()).isNotBlank();
        assertThat(listed(code)).isNull();
    }

    @Test
    void missingNameAndCodeAreBothReported() {
        Http.Response r = server.http().post("/api/v1/categories", Map.of("description", "only this"));
        assertThat(r.status()).isEqualTo(422);
        List<String> fields = StreamSupport.stream(r.json().path("errors").spliterator(), false)
                .map(e -> e.path("field").asString()).toList();
        assertThat(fields).containsExactlyInAnyOrder("code", "name");
    }
}
