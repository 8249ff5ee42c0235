package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.common.Times;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.Pages;
import dev.chl.testing.ServerExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class AuditApiTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    private static String uniqueActor() {
        return "auditor-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<JsonNode> items(String path) {
        Http.Response r = server.http().get(path);
        assertThat(r.status()).as("GET %s: %s", path, r).isEqualTo(200);
        return StreamSupport.stream(r.json().path("items").spliterator(), false).toList();
    }

    @Test
    void listShowsEachWriteWithActorSourceActionAndDetails() {
        String actor = uniqueActor();
        Http as = server.http().as(actor);
        String code = Fixtures.newCategory(as);
        String id = Fixtures.createExperience(as, code, "audited").path("id").asString();

        List<JsonNode> rows = items("/api/v1/audit?actor=" + q(actor));
        assertThat(rows).hasSize(2);
        JsonNode newest = rows.get(0);
        assertThat(newest.path("action").asString()).isEqualTo("entry.create");
        assertThat(newest.path("actor").asString()).isEqualTo(actor);
        assertThat(newest.path("source").asString()).isEqualTo("api");
        assertThat(newest.path("details").path("id").asString()).isEqualTo(id);
        assertThat(newest.path("details").path("kind").asString()).isEqualTo("experience");
        assertThat(newest.path("details").path("title").asString()).isEqualTo("audited");
        assertThat(newest.path("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(newest.path("id").asLong()).isGreaterThan(rows.get(1).path("id").asLong());
        assertThat(rows.get(1).path("action").asString()).isEqualTo("category.create");
        assertThat(rows.get(1).path("details").path("code").asString()).isEqualTo(code);
        assertThat(newest.propertyNames()).containsExactlyInAnyOrder("id", "timestamp", "actor", "source", "action", "details");
    }

    @Test
    void theChannelHeaderSetsTheSource() {
        String actor = uniqueActor();
        Fixtures.newCategory(server.http().as(actor).withHeader("X-CHL-Channel", "cli"));
        Fixtures.newCategory(server.http().as(actor).withHeader("X-CHL-Channel", "mcp"));
        Fixtures.newCategory(server.http().as(actor).withHeader("X-CHL-Channel", "ui"));
        List<String> sources = items("/api/v1/audit?actor=" + q(actor)).stream().map(r -> r.path("source").asString()).toList();
        assertThat(sources).as("ui is reserved for the console").containsExactly("api", "mcp", "cli");
    }

    @Test
    void filtersByActionAndActorTogether() {
        String actor = uniqueActor();
        Http as = server.http().as(actor);
        String code = Fixtures.newCategory(as);
        as.put("/api/v1/categories/" + code, Map.of("name", "first rename"));
        as.put("/api/v1/categories/" + code, Map.of("name", "second rename"));
        Fixtures.newCategory(server.http().as(uniqueActor()));

        List<JsonNode> updates = items("/api/v1/audit?actor=" + q(actor) + "&action=category.update");
        assertThat(updates).hasSize(2).allSatisfy(r -> {
            assertThat(r.path("action").asString()).isEqualTo("category.update");
            assertThat(r.path("actor").asString()).isEqualTo(actor);
        });
        assertThat(updates.get(0).path("details").path("name").asString()).isEqualTo("second rename");

        List<JsonNode> allUpdates = items("/api/v1/audit?action=category.update&limit=500");
        assertThat(allUpdates).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(r -> assertThat(r.path("action").asString()).isEqualTo("category.update"));
        assertThat(items("/api/v1/audit?actor=" + q("nobody-" + UUID.randomUUID()))).isEmpty();
    }

    @Test
    void filtersBySince() {
        String actor = uniqueActor();
        Instant now = Instant.now();
        server.db().insertAudit(Times.format(now.minus(3, ChronoUnit.HOURS)), actor, "cli", "test.old", "{}");
        server.db().insertAudit(Times.format(now.minus(2, ChronoUnit.HOURS)), actor, "cli", "test.middle", "{}");
        server.db().insertAudit(Times.format(now.minus(1, ChronoUnit.HOURS)), actor, "cli", "test.new", "{}");

        String since = Times.format(now.minus(150, ChronoUnit.MINUTES));
        List<String> actions = items("/api/v1/audit?actor=" + q(actor) + "&since=" + q(since)).stream()
                .map(r -> r.path("action").asString()).toList();
        assertThat(actions).containsExactly("test.new", "test.middle");

        // since is inclusive and accepts any ISO-8601 instant
        String exact = Times.format(now.minus(1, ChronoUnit.HOURS));
        assertThat(items("/api/v1/audit?actor=" + q(actor) + "&since=" + q(exact))).hasSize(1);
        String noFraction = now.minus(4, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        assertThat(items("/api/v1/audit?actor=" + q(actor) + "&since=" + q(noFraction))).hasSize(3);
        // a plain date, as the console's hint offers, is the start of that day in UTC
        String tomorrow = java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC).plusDays(1).toString();
        assertThat(items("/api/v1/audit?actor=" + q(actor) + "&since=" + tomorrow)).isEmpty();
        String twoDaysAgo = java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC).minusDays(2).toString();
        assertThat(items("/api/v1/audit?actor=" + q(actor) + "&since=" + twoDaysAgo)).hasSize(3);
    }

    @Test
    void pagesWalkEveryRowOnceNewestFirst() {
        String actor = uniqueActor();
        Http as = server.http().as(actor);
        String code = Fixtures.newCategory(as);
        for (int i = 0; i < 6; i++) {
            as.put("/api/v1/categories/" + code, Map.of("name", "rename " + i));
        }
        Pages.Walk walk = Pages.walk(server.http(), "/api/v1/audit?actor=" + q(actor) + "&limit=3", 5);
        assertThat(walk.pageSizes()).containsExactly(3, 3, 1);
        List<Long> ids = walk.items().stream().map(r -> r.path("id").asLong()).toList();
        assertThat(ids).hasSize(7).doesNotHaveDuplicates();
        List<Long> descending = new ArrayList<>(ids);
        descending.sort((a, b) -> Long.compare(b, a));
        assertThat(ids).isEqualTo(descending);
        assertThat(walk.items().getLast().path("action").asString()).isEqualTo("category.create");
        assertThat(walk.items().getFirst().path("details").path("name").asString()).isEqualTo("rename 5");
        assertThat(server.http().get("/api/v1/audit?actor=" + q(actor) + "&limit=7").json().path("next_cursor").isNull()).isTrue();
    }

    @Test
    void theDefaultPageIs100() {
        String actor = uniqueActor();
        for (int i = 0; i < 101; i++) {
            server.db().insertAudit(Times.format(Instant.now()), actor, "cli", "test.bulk", "{\"n\":" + i + "}");
        }
        Http.Response r = server.http().get("/api/v1/audit?actor=" + q(actor));
        assertThat(r.json().path("items")).hasSize(100);
        assertThat(r.json().path("next_cursor").isString()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=501", "limit=many", "since=yesterday", "cursor=%21%21", "colour=red"})
    void badParametersAre422(String query) {
        Http.Response r = server.http().get("/api/v1/audit?" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.json().path("errors")).hasSize(1);
        assertThat(r.json().path("errors").get(0).path("field").asString()).isEqualTo(query.substring(0, query.indexOf('=')));
    }

    // --- export ------------------------------------------------------------------------------------------------------

    @Test
    void exportJsonLinesHasOneObjectPerRow() {
        String actor = uniqueActor();
        Http as = server.http().as(actor);
        String code = Fixtures.newCategory(as);
        String id = Fixtures.createManual(as, code, "exported").path("id").asString();

        Http.Response r = server.http().get("/api/v1/audit/export?format=jsonl&actor=" + q(actor));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/x-ndjson");
        assertThat(r.header("Content-Disposition")).contains("attachment").contains("chl-audit.jsonl");
        assertThat(r.body()).endsWith("\n");
        List<String> lines = r.body().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = Http.JSON.readTree(lines.get(0));
        assertThat(first.path("action").asString()).isEqualTo("entry.create");
        assertThat(first.path("actor").asString()).isEqualTo(actor);
        assertThat(first.path("details").path("id").asString()).isEqualTo(id);
        assertThat(Http.JSON.readTree(lines.get(1)).path("action").asString()).isEqualTo("category.create");

        // jsonl is the default format, and the export has every row (not one page)
        Http.Response all = server.http().get("/api/v1/audit/export");
        assertThat(all.contentType()).startsWith("application/x-ndjson");
        assertThat((long) all.body().lines().count()).isEqualTo(server.db().count("SELECT count(*) FROM audit_log"));
    }

    @Test
    void exportIsNotLimitedToOnePage() {
        String actor = uniqueActor();
        for (int i = 0; i < 620; i++) {
            server.db().insertAudit(Times.format(Instant.now()), actor, "cli", "test.many", "{\"n\":" + i + "}");
        }
        Http.Response r = server.http().get("/api/v1/audit/export?format=jsonl&actor=" + q(actor));
        List<String> lines = r.body().lines().toList();
        assertThat(lines).hasSize(620);
        assertThat(lines.stream().map(l -> Http.JSON.readTree(l).path("details").path("n").asInt()).distinct().count()).isEqualTo(620);
    }

    @Test
    void exportCsvQuotesFieldsAndNeutralisesFormulas() {
        String actor = "=HYPERLINK(\"x\"), " + UUID.randomUUID().toString().substring(0, 6);
        String code = Fixtures.newCategory(server.http().as(actor));
        String title = "Title with \"quotes\", commas";
        Fixtures.createExperience(server.http().as(actor), code, title);

        Http.Response r = server.http().get("/api/v1/audit/export?format=csv&actor=" + q(actor));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/csv");
        assertThat(r.header("Content-Disposition")).contains("chl-audit.csv");
        String[] lines = r.body().split("\r\n", -1);
        assertThat(lines).hasSize(4); // header, two rows, and the empty string after the final CRLF
        assertThat(lines[0]).isEqualTo("id,timestamp,actor,source,action,details");
        assertThat(lines[3]).isEmpty();

        List<String> row = parseCsvLine(lines[1]);
        assertThat(row).hasSize(6);
        assertThat(row.get(0)).matches("\\d+");
        assertThat(row.get(1)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(row.get(2)).as("a leading = is defused").isEqualTo("'" + actor);
        assertThat(row.get(3)).isEqualTo("api");
        assertThat(row.get(4)).isEqualTo("entry.create");
        assertThat(Http.JSON.readTree(row.get(5)).path("title").asString()).isEqualTo(title);
        // the quotes in the details are doubled inside a quoted field
        assertThat(lines[1]).contains("\"\"title\"\":\"\"Title with \\\"\"quotes\\\"\", commas\"\"");
        assertThat(parseCsvLine(lines[2]).get(4)).isEqualTo("category.create");
    }

    @Test
    void exportRejectsAnUnknownFormat() {
        Http.Response r = server.http().get("/api/v1/audit/export?format=xml");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.json().path("errors").get(0).path("field").asString()).isEqualTo("format");
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "jsonl"})
    void exportRejectsABadSinceWithAProblemNotAFile(String format) {
        Http.Response r = server.http().get("/api/v1/audit/export?format=" + format + "&since=yesterday");
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.isProblem()).as(r.toString()).isTrue();
        assertThat(r.json().path("errors").get(0).path("field").asString()).isEqualTo("since");
        assertThat(r.header("Content-Disposition")).as("an error is not offered as the file to save").isNull();
    }

    /** RFC 4180 parsing of one record (no embedded line breaks). */
    static List<String> parseCsvLine(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
