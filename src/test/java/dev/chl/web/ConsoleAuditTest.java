package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ConsoleClient;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.ServerExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Every console form action is written to the audit log as the console's operator (actor console) with source ui. */
class ConsoleAuditTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static String category;
    private ConsoleClient browser;

    @BeforeAll
    static void library() {
        category = Fixtures.newCategory(server.http());
        OpsJobs.awaitIdle(server.http(), Duration.ofSeconds(60));
    }

    @BeforeEach
    void openTheConsole() {
        browser = server.console();
        browser.page("/settings");
    }

    @AfterEach
    void resumeWorkers() {
        server.api().workerControl("resume");
    }

    /** The newest audit row of {@code action} by the console, asserted to be recorded as the console's (source ui). */
    private static JsonNode auditedByConsole(String action) {
        Http.Response r = server.http().get("/api/v1/audit?actor=console&action=" + action + "&limit=1");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode rows = r.json().path("items");
        assertThat(rows).as("audit rows of %s by the console", action).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.path("actor").asString()).isEqualTo("console");
        assertThat(row.path("source").asString()).as("source of %s", row).isEqualTo("ui");
        return row;
    }

    private void ok(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void savingDuplicateThresholds() {
        ok(browser.post("/ui/settings/search", Map.of("too_close_threshold", "0.9", "related_threshold", "0.55")));

        JsonNode details = auditedByConsole("settings.update").path("details");
        assertThat(details.path("section").asString()).isEqualTo("search");
        assertThat(details.path("value").path("too_close_threshold").asDouble()).isEqualTo(0.9);
        assertThat(details.path("value").path("related_threshold").asDouble()).isEqualTo(0.55);
    }

    @Test
    void pausingAndResumingWorkers() {
        String worker = server.api().workers().path("workers").get(0).path("id").asString();

        ok(browser.post("/ui/workers/" + worker + "/pause", Map.of()));
        assertThat(auditedByConsole("workers.pause").path("details").path("worker").asString()).isEqualTo(worker);

        ok(browser.post("/ui/workers/pause", Map.of()));
        assertThat(auditedByConsole("workers.pause").path("details").path("worker").asString()).isEqualTo("all");

        ok(browser.post("/ui/workers/resume", Map.of()));
        assertThat(auditedByConsole("workers.resume").path("details").path("worker").asString()).isEqualTo("all");
    }

    @Test
    void creatingEditingAndDeletingAnEntry() {
        Map<String, String> form = ConsoleClient.experienceForm(category, "Audit trail of console edits",
                "Every change made in the console names its operator and the ui channel in the audit log.");
        form.put("confirm_duplicates", "yes");
        Http.Response created = browser.post("/ui/entries", form);
        ok(created);
        String id = created.header("HX-Redirect").replaceFirst("^/entries/([^?]+)\\?created=1$", "$1");
        assertThat(auditedByConsole("entry.create").path("details").path("id").asString()).isEqualTo(id);

        form.put("title", "Audit trail of console edits, renamed");
        ok(browser.post("/ui/entries/" + id, form));
        assertThat(auditedByConsole("entry.update").path("details").path("id").asString()).isEqualTo(id);
        assertThat(server.api().entry(id).path("title").asString()).isEqualTo("Audit trail of console edits, renamed");

        ok(browser.post("/ui/entries/" + id + "/delete", Map.of()));
        assertThat(auditedByConsole("entry.delete").path("details").path("id").asString()).isEqualTo(id);
    }

    @Test
    void startingAnOperation() {
        ok(browser.post("/ui/operations/backup", Map.of()));

        JsonNode details = auditedByConsole("job.start").path("details");
        assertThat(details.path("job_type").asString()).isEqualTo("backup");
        JsonNode job = OpsJobs.awaitFinished(server.http(), details.path("job_id").asString(), Duration.ofSeconds(60));
        assertThat(job.path("triggered_by").asString()).isEqualTo("console");
        assertThat(job.path("source").asString()).isEqualTo("ui");
    }
}
