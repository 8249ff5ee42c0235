package dev.chl.exchange;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.chl.app.App;
import dev.chl.app.Config;
import dev.chl.testing.FakeGoogle;
import dev.chl.testing.Http;
import dev.chl.testing.SharedModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google Sheets exchange against a local fake of the Sheets REST API and Google's token endpoint (WireMock on a
 * random loopback port): the real client library, the real service-account JWT flow (a key made here) and the real
 * request shapes are exercised, including Google's error answers.
 */
class SheetsExchangeTest {
    private static final String REVIEW = "reviewSheet0123456789";
    private static final String PUBLISHED = "publishedSheet0123456789";
    private static final String ACCOUNT = FakeGoogle.ACCOUNT;

    private FakeGoogle fakeGoogle;
    private WireMockServer google;
    private App app;
    private Http http;
    private Path dataDir;

    @BeforeEach
    void start() throws Exception {
        fakeGoogle = new FakeGoogle();
        google = fakeGoogle.server();
        dataDir = Files.createTempDirectory("chl-sheets-");
        app = App.start(new Config(dataDir, "127.0.0.1", 0, null, fakeGoogle.rootUrl()), Clock.systemUTC(), SharedModels::get);
        http = new Http("http://127.0.0.1:" + app.port(), null);
    }

    @AfterEach
    void stop() {
        app.close();
        fakeGoogle.close();
    }

    @Test
    void aValidCredentialIsStored0600AndNeverShown() throws Exception {
        String key = serviceAccountKey();
        Http.Response r = uploadCredential(key);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().path("client_email").asString()).isEqualTo(ACCOUNT);
        assertThat(r.json().path("checksum_prefix").asString()).hasSize(12);

        Path stored;
        try (var files = Files.list(dataDir.resolve("credentials"))) {
            stored = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        assertThat(Files.getPosixFilePermissions(stored)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String privateKeyMarker = "PRIVATE KEY";
        for (String path : List.of("/api/v1/settings", "/api/v1/settings/backup", "/api/v1/diagnostics", "/api/v1/audit?limit=500")) {
            assertThat(http.get(path).body()).as(path).doesNotContain(privateKeyMarker).doesNotContain("private_key");
        }
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("chl.db"));
             var rs = db.createStatement().executeQuery("SELECT group_concat(value_json) FROM settings")) {
            assertThat(rs.getString(1)).doesNotContain(privateKeyMarker);
        }
    }

    @Test
    void aKeyFileDeletedOrChangedOnDiskIsReportedNotCalledValid() throws Exception {
        assertThat(uploadCredential(serviceAccountKey()).status()).isEqualTo(201);
        assertThat(http.get("/api/v1/settings").json().path("credentials").path("status").asString()).isEqualTo("valid");
        Path stored;
        try (var files = Files.list(dataDir.resolve("credentials"))) {
            stored = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        Files.writeString(stored, "{}");
        assertThat(http.get("/api/v1/settings").json().path("credentials").path("problem").asString()).contains("changed on disk");
        Files.delete(stored);

        JsonNode credential = http.get("/api/v1/settings").json().path("credentials");
        assertThat(credential.path("status").asString()).isEqualTo("unusable");
        assertThat(credential.path("problem").asString()).contains("missing").contains("upload the JSON key again");
        JsonNode diagnostics = http.get("/api/v1/diagnostics").json().path("checks");
        JsonNode check = java.util.stream.StreamSupport.stream(diagnostics.spliterator(), false)
                .filter(c -> c.path("name").asString().equals("credentials")).findFirst().orElseThrow();
        assertThat(check.path("status").asString()).isEqualTo("error");
        assertThat(check.path("remediation").asString()).contains("JSON key again");
        configureSheets();
        JsonNode connectivity = http.post("/api/v1/settings/test-connectivity", Map.of()).json().path("checks");
        assertThat(connectivity.get(0).path("message").asString()).contains("missing");
        assertThat(connectivity.get(0).path("remediation").asString()).contains("JSON key");
    }

    @Test
    void aRejectedCredentialLeavesTheOldOneWorking() throws Exception {
        assertThat(uploadCredential(serviceAccountKey()).status()).isEqualTo(201);
        String before = http.get("/api/v1/settings").json().path("credentials").path("checksum_prefix").asString();

        Http.Response notJson = uploadCredential("this is not json");
        assertThat(notJson.status()).isEqualTo(422);
        Http.Response wrongType = uploadCredential("{\"type\":\"authorized_user\",\"project_id\":\"p\",\"private_key_id\":\"k\","
                + "\"private_key\":\"x\",\"client_email\":\"a@b\",\"token_uri\":\"http://x\"}");
        assertThat(wrongType.status()).isEqualTo(422);
        assertThat(wrongType.json().path("detail").asString()).contains("service_account");
        Http.Response badKey = uploadCredential(serviceAccountKey().replaceAll("MII[A-Za-z0-9+/]{20}", "MIIbroken"));
        assertThat(badKey.status()).isEqualTo(422);

        assertThat(http.get("/api/v1/settings").json().path("credentials").path("checksum_prefix").asString()).isEqualTo(before);
        configureSheets();
        stubSpreadsheet(REVIEW, "Review");
        stubSpreadsheet(PUBLISHED, "Published");
        JsonNode checks = http.post("/api/v1/settings/test-connectivity", Map.of()).json().path("checks");
        assertThat(checks.findValuesAsString("status")).containsOnly("ok");
    }

    @Test
    void exportWritesRawRowsToTheReviewSheetAndImportReadsThePublishedOne() throws Exception {
        assertThat(uploadCredential(serviceAccountKey()).status()).isEqualTo(201);
        configureSheets();
        google.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + REVIEW)).willReturn(json("{\"sheets\":[{\"properties\":{\"title\":\"Sheet1\"}}]}")));
        google.stubFor(post(urlPathEqualTo("/v4/spreadsheets/" + REVIEW + ":batchUpdate")).willReturn(json("{}")));
        google.stubFor(post(urlPathMatching("/v4/spreadsheets/" + REVIEW + "/values/.*:clear")).willReturn(json("{}")));
        google.stubFor(put(urlPathMatching("/v4/spreadsheets/" + REVIEW + "/values/.*")).willReturn(json("{}")));
        http.post("/api/v1/experiences", Map.of("category_code", "TST", "section", "useful", "title", "=SUM(A1:A2) stays text",
                "playbook", "Formulas are never evaluated."));

        JsonNode job = finished(http.post("/api/v1/operations/export", Map.of("target", "sheets")).json().path("job_id").asString());
        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("succeeded");
        assertThat(job.path("result_summary").path("spreadsheet_id").asString()).isEqualTo(REVIEW);
        google.verify(postRequestedFor(urlPathEqualTo("/v4/spreadsheets/" + REVIEW + ":batchUpdate")));
        google.verify(3, putRequestedFor(urlPathMatching("/v4/spreadsheets/" + REVIEW + "/values/.*"))
                .withQueryParam("valueInputOption", equalTo("RAW")));
        assertThat(fakeGoogle.valueRanges(REVIEW, RequestMethod.PUT)).containsExactly("'Categories'!A1", "'Experiences'!A1", "'Manuals'!A1");
        String experiencesBody = fakeGoogle.update(REVIEW, "'Experiences'!A1");
        assertThat(experiencesBody).contains("=SUM(A1:A2) stays text").contains("\"category_code\"");

        // Publish what was exported: the published sheet returns exactly the exported values.
        JsonNode sent = Http.JSON.readTree(experiencesBody);
        String categories = fakeGoogle.update(REVIEW, "'Categories'!A1");
        String manuals = fakeGoogle.update(REVIEW, "'Manuals'!A1");
        google.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + PUBLISHED)).willReturn(json(
                "{\"sheets\":[{\"properties\":{\"title\":\"Categories\"}},{\"properties\":{\"title\":\"Experiences\"}},{\"properties\":{\"title\":\"Manuals\"}}]}")));
        google.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + PUBLISHED + "/values:batchGet")).willReturn(json(
                "{\"spreadsheetId\":\"" + PUBLISHED + "\",\"valueRanges\":[" + range("Categories", categories) + ","
                        + range("Experiences", experiencesBody) + "," + range("Manuals", manuals) + "]}")));
        JsonNode dry = finished(http.post("/api/v1/operations/import", Map.of("source", "sheets", "dry_run", true)).json()
                .path("job_id").asString());
        assertThat(dry.path("status").asString()).as(dry.toString()).isEqualTo("succeeded");
        assertThat(dry.path("result_summary").path("valid").asBoolean()).isTrue();
        assertThat(dry.path("result_summary").path("counts").path("add").asInt()).isZero();
        assertThat(dry.path("result_summary").path("counts").path("retire").asInt()).isZero();
        assertThat(sent.path("values").size()).isGreaterThan(1);
    }

    @Test
    void configuredWorksheetNamesAreTheTabsExportWritesAndImportReads() throws Exception {
        assertThat(uploadCredential(serviceAccountKey()).status()).isEqualTo(201);
        configureSheets();
        Map<String, String> tabs = Map.of("categories", "Shelves", "experiences", "Lessons learned", "manuals", "Guide's pages");
        Http.Response saved = http.put("/api/v1/settings/sheets", Map.of("worksheets", tabs));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.json().path("published_sheet_id").asString()).as("the ids are kept").isEqualTo(PUBLISHED);
        // quoted in A1 notation, an apostrophe doubled
        List<String> ranges = List.of("'Shelves'", "'Lessons learned'", "'Guide''s pages'");

        // Export: the review sheet has Shelves already; the other two tabs are added, then all three written.
        google.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + REVIEW)).willReturn(json(
                "{\"sheets\":[{\"properties\":{\"title\":\"Sheet1\"}},{\"properties\":{\"title\":\"Shelves\"}}]}")));
        google.stubFor(post(urlPathEqualTo("/v4/spreadsheets/" + REVIEW + ":batchUpdate")).willReturn(json("{}")));
        google.stubFor(post(urlPathMatching("/v4/spreadsheets/" + REVIEW + "/values/.*:clear")).willReturn(json("{}")));
        google.stubFor(put(urlPathMatching("/v4/spreadsheets/" + REVIEW + "/values/.*")).willReturn(json("{}")));
        http.post("/api/v1/experiences", Map.of("category_code", "TST", "section", "useful", "title", "Tabs follow the settings",
                "playbook", "Read the worksheet names from the sheets settings."));
        JsonNode export = finished(http.post("/api/v1/operations/export", Map.of("target", "sheets")).json().path("job_id").asString());
        assertThat(export.path("status").asString()).as(export.toString()).isEqualTo("succeeded");

        JsonNode added = Http.JSON.readTree(google.findAll(postRequestedFor(urlPathEqualTo("/v4/spreadsheets/" + REVIEW + ":batchUpdate")))
                .getFirst().getBodyAsString()).path("requests");
        assertThat(added.findValuesAsString("title")).containsExactly("Lessons learned", "Guide's pages");
        assertThat(fakeGoogle.valueRanges(REVIEW, RequestMethod.POST)).as("cleared").containsExactlyElementsOf(ranges);
        assertThat(fakeGoogle.valueRanges(REVIEW, RequestMethod.PUT)).as("written")
                .containsExactlyElementsOf(ranges.stream().map(r -> r + "!A1").toList());
        String categories = fakeGoogle.update(REVIEW, "'Shelves'!A1");
        String experiences = fakeGoogle.update(REVIEW, "'Lessons learned'!A1");
        String manuals = fakeGoogle.update(REVIEW, "'Guide''s pages'!A1");
        assertThat(experiences).contains("Tabs follow the settings");

        // Import: the published sheet also has an Experiences tab, which is not the configured one and is not read.
        google.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + PUBLISHED)).willReturn(json("{\"sheets\":["
                + "{\"properties\":{\"title\":\"Experiences\"}},{\"properties\":{\"title\":\"Shelves\"}},"
                + "{\"properties\":{\"title\":\"Lessons learned\"}},{\"properties\":{\"title\":\"Guide's pages\"}}]}")));
        stubPublishedValues(categories, experiences, manuals);
        JsonNode dry = finished(http.post("/api/v1/operations/import", Map.of("source", "sheets", "dry_run", true)).json()
                .path("job_id").asString());
        assertThat(dry.path("result_summary").path("valid").asBoolean()).as(dry.toString()).isTrue();
        assertThat(dry.path("result_summary").path("counts").path("add").asInt()).isZero();
        assertThat(dry.path("result_summary").path("counts").path("retire").asInt()).isZero();
        assertThat(google.findAll(getRequestedFor(urlPathEqualTo("/v4/spreadsheets/" + PUBLISHED + "/values:batchGet")))
                .getFirst().queryParameter("ranges").values()).containsExactlyElementsOf(ranges);

        // An invalid row is located in the configured tab.
        ObjectNode bad = (ObjectNode) Http.JSON.readTree(experiences);
        ArrayNode header = (ArrayNode) bad.path("values").get(0);
        int section = java.util.stream.IntStream.range(0, header.size()).filter(i -> header.get(i).asString().equals("section"))
                .findFirst().orElseThrow();
        ((ArrayNode) bad.path("values").get(1)).set(section, "bogus");
        stubPublishedValues(categories, bad.toString(), manuals);
        JsonNode invalid = finished(http.post("/api/v1/operations/import", Map.of("source", "sheets", "dry_run", true)).json()
                .path("job_id").asString()).path("result_summary");
        assertThat(invalid.path("valid").asBoolean()).as(invalid.toString()).isFalse();
        JsonNode problem = invalid.path("invalid_rows").get(0);
        assertThat(problem.path("worksheet").asString()).isEqualTo("Lessons learned");
        assertThat(problem.path("row").asInt()).isEqualTo(2);
        assertThat(problem.path("column").asString()).isEqualTo("section");

        // Test connectivity warns when a configured tab is missing from the published sheet.
        fakeGoogle.spreadsheet(REVIEW, "Review");
        fakeGoogle.spreadsheet(PUBLISHED, "Published", List.of("Shelves", "Lessons learned", "Manuals"));
        JsonNode checks = http.post("/api/v1/settings/test-connectivity", Map.of()).json().path("checks");
        JsonNode worksheets = null;
        for (JsonNode check : checks) {
            if (check.path("name").asString().equals("published_worksheets")) {
                worksheets = check;
            }
        }
        assertThat(worksheets).as(checks.toString()).isNotNull();
        assertThat(worksheets.path("status").asString()).isEqualTo("warn");
        assertThat(worksheets.path("message").asString()).contains("'Guide's pages' (manuals)")
                .doesNotContain("(categories)").doesNotContain("(experiences)");
        assertThat(worksheets.path("remediation").asString()).contains("Settings");
    }

    @Test
    void googleErrorsBecomeMessagesThatSayWhatToDo() throws Exception {
        assertThat(uploadCredential(serviceAccountKey()).status()).isEqualTo(201);
        configureSheets();
        google.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + REVIEW)).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":403,\"message\":\"The caller does not have permission\",\"status\":\"PERMISSION_DENIED\"}}")));
        google.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + PUBLISHED)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\",\"status\":\"NOT_FOUND\"}}")));
        JsonNode checks = http.post("/api/v1/settings/test-connectivity", Map.of()).json().path("checks");
        assertThat(checks.get(0).path("status").asString()).isEqualTo("error");
        assertThat(checks.get(0).path("message").asString()).contains("not shared").contains(ACCOUNT);
        assertThat(checks.get(1).path("message").asString()).contains("no spreadsheet with id " + PUBLISHED);

        // 429 twice, then success: the client backs off and retries.
        google.resetAll();
        google.stubFor(post(urlPathEqualTo("/token")).willReturn(json("{\"access_token\":\"t\",\"expires_in\":3600,\"token_type\":\"Bearer\"}")));
        google.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + REVIEW)).inScenario("rate").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429)).willSetStateTo("second"));
        google.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + REVIEW)).inScenario("rate").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(429)).willSetStateTo("third"));
        google.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + REVIEW)).inScenario("rate").whenScenarioStateIs("third")
                .willReturn(json("{\"properties\":{\"title\":\"Review\"}}")));
        stubSpreadsheet(PUBLISHED, "Published");
        JsonNode retried = http.post("/api/v1/settings/test-connectivity", Map.of()).json().path("checks");
        assertThat(retried.get(0).path("status").asString()).as(retried.toString()).isEqualTo("ok");
        assertThat(retried.get(0).path("message").asString()).contains("Review");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void configureSheets() {
        Http.Response r = http.put("/api/v1/settings/sheets", Map.of("review_sheet_id", REVIEW,
                "published_sheet_id", "https://docs.google.com/spreadsheets/d/" + PUBLISHED + "/edit#gid=0"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("published_sheet_id").asString()).isEqualTo(PUBLISHED);
    }

    private void stubSpreadsheet(String id, String title) {
        fakeGoogle.spreadsheet(id, title);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return FakeGoogle.json(body);
    }

    /** The published sheet's batchGet answers with these update bodies' values, in the order asked. */
    private void stubPublishedValues(String categories, String experiences, String manuals) {
        google.stubFor(get(urlPathEqualTo("/v4/spreadsheets/" + PUBLISHED + "/values:batchGet")).willReturn(json(
                "{\"spreadsheetId\":\"" + PUBLISHED + "\",\"valueRanges\":[" + range("Shelves", categories) + ","
                        + range("Lessons learned", experiences) + "," + range("Guide's pages", manuals) + "]}")));
    }

    private static String range(String name, String updateBody) {
        JsonNode values = Http.JSON.readTree(updateBody).path("values");
        return "{\"range\":\"" + name + "!A1:Z\",\"majorDimension\":\"ROWS\",\"values\":" + values + "}";
    }

    private JsonNode finished(String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = http.get("/api/v1/operations/jobs/" + jobId).json();
            if (Set.of("succeeded", "failed", "cancelled", "timed_out").contains(job.path("status").asString())) {
                return job;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + jobId + " did not finish");
    }

    private Http.Response uploadCredential(String content) throws Exception {
        String boundary = "b" + System.nanoTime();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"key.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                        + "/api/v1/settings/credentials")).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
    }

    /** A service-account key signed by a key pair made here, whose token endpoint is the fake. */
    private String serviceAccountKey() {
        return fakeGoogle.serviceAccountKey();
    }
}
