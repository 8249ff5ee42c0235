package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.Jobs;
import dev.chl.testing.ServerExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A dry run's result carries a {@code plan} fingerprint; an apply given it as {@code expect_plan} applies exactly the
 * plan that was reviewed, or nothing when the source or the library changed in between (the console's apply button
 * sends it).
 */
class ApplyWhatWasReviewedTest {
    @RegisterExtension
    final ServerExtension server = ServerExtension.perTest();
    private ExchangeClient x;

    @BeforeEach
    void client() {
        x = new ExchangeClient(server.server());
    }

    private JsonNode applyExpecting(String upload, String plan) {
        return Jobs.run(x.http, "import", Map.of("source", "upload:" + upload, "dry_run", false, "expect_plan", plan));
    }

    @Test
    void anApplyAppliesTheReviewedPlanOrNothing() {
        String code = Fixtures.newCategory(x.http);
        String published = TestBook.experienceId(code, 1);
        x.db.insertGlobalExperience(published, code, "Global 1", "pending", "2025-01-01T00:00:00.000Z");
        x.awaitAllEmbedded();
        TestBook book = TestBook.fromXlsx(x.export("xlsx"));
        book.experiences().add(TestBook.experienceRow(TestBook.experienceId(code, 50), code, "New 50"));
        String upload = x.uploadXlsx(book);

        String plan = x.preview(upload).path("plan").asString();
        assertThat(plan).matches("[0-9a-f]{64}");
        assertThat(x.preview(upload).path("plan").asString()).as("planning the same source again gives the same plan").isEqualTo(plan);

        // After the review someone edits the published entry here: applying the sheet would now also overwrite that.
        assertThat(x.http.patch("/api/v1/experiences/" + published, Map.of("title", "Edited here after the review")).status())
                .isEqualTo(200);
        x.awaitAllEmbedded();
        Map<String, Object> before = x.snapshot();

        JsonNode refused = applyExpecting(upload, plan);

        assertThat(refused.path("status").asString()).as("%s", refused).isEqualTo("failed");
        assertThat(refused.path("error").asString()).contains("changed since the dry run", "update 1", "nothing was imported",
                "Run a dry run again");
        assertThat(x.snapshot()).as("nothing changed").isEqualTo(before);

        String again = x.preview(upload).path("plan").asString();
        assertThat(again).isNotEqualTo(plan);
        JsonNode applied = applyExpecting(upload, again);
        assertThat(applied.path("status").asString()).as("%s", applied).isEqualTo("succeeded");
        assertThat(x.entry(published).get("title")).isEqualTo("Global 1");
        assertThat(x.entry(TestBook.experienceId(code, 50))).isNotNull();
    }

    @Test
    void aMalformedExpectedPlanIsRefusedBeforeAnyJobStarts() {
        Http.Response r = x.http.post("/api/v1/operations/import", Map.of("source", "sheets", "dry_run", false, "expect_plan", "abc"));

        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.body()).contains("expect_plan", "64 hex");
        assertThat(x.http.get("/api/v1/operations/jobs?type=import").json().get("jobs")).as("no job was created").isNotNull().isEmpty();
    }
}
