package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ConsoleClient;
import dev.chl.testing.Http;
import dev.chl.testing.Jobs;
import dev.chl.testing.ServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The console's dry-run preview says when it lists only some of the invalid rows, and how many there are. */
class ConsoleImportPreviewTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    /** A zip of experiences.csv with {@code bad} rows whose ids are malformed, and an empty manuals.csv. */
    private static byte[] badRows(int bad) throws IOException {
        StringBuilder experiences = new StringBuilder("id,category_code,section,title,playbook,context,author\n");
        for (int i = 0; i < bad; i++) {
            experiences.append("not-an-id-").append(i).append(",GLN,useful,Title ").append(i).append(",Playbook,,\n");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("experiences.csv"));
            zip.write(experiences.toString().getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("manuals.csv"));
            zip.write("id,category_code,title,content,summary,author\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** A valid zip of CSV files holding {@code experiences} (rows of experiences.csv, without the header). */
    static byte[] workbook(String experiences) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("experiences.csv"));
            zip.write(("id,category_code,section,title,playbook,context,author\n" + experiences).getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("manuals.csv"));
            zip.write("id,category_code,title,content,summary,author\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static String upload(String filename, byte[] content) {
        Http.Response upload = server.http().upload("/api/v1/uploads", "file", filename, content);
        assertThat(upload.status()).as("%s", upload).isEqualTo(201);
        return upload.json().path("upload_id").asString();
    }

    @Test
    void thePreviewAndItsApplyConfirmationNameTheFileTheyAreAbout() throws IOException {
        String id = upload("named-file.zip", workbook(""));
        JsonNode job = Jobs.run(server.http(), "import", Map.of("source", "upload:" + id, "dry_run", true));
        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("succeeded");

        Element preview = Jsoup.parse(server.console().page("/operations").body()).selectFirst("#import-preview");
        assertThat(preview).as("the preview on the page").isNotNull();
        assertThat(preview.selectFirst("h3").text()).contains("named-file.zip (" + id + ")");
        assertThat(preview.attr("data-job")).isEqualTo(job.path("job_id").asString());
        Element apply = preview.selectFirst("form[hx-confirm]");
        assertThat(apply).as("the Apply form").isNotNull();
        assertThat(apply.attr("hx-confirm")).contains("named-file.zip");
        assertThat(apply.selectFirst("input[name=source]").val()).isEqualTo("upload:" + id);
    }

    @Test
    void anApplyRefusedForAChangedPlanOffersAFreshDryRunNotTheSameStalePlanAgain() throws IOException {
        String id = upload("stale.zip", workbook(""));
        JsonNode apply = Jobs.run(server.http(), "import", Map.of("source", "upload:" + id, "dry_run", false,
                "expect_plan", "0".repeat(64)));
        assertThat(apply.path("status").asString()).as("%s", apply).isEqualTo("failed");

        ConsoleClient console = server.console();
        Element actions = Jsoup.parse(console.page("/operations").body()).selectFirst("#actions-import");
        assertThat(actions).isNotNull();
        assertThat(actions.select("button[hx-post$=/retry]")).as("no Run again of the stale plan: %s", actions).isEmpty();
        Element again = actions.selectFirst("form[hx-post=/ui/operations/import]");
        assertThat(again).as("a fresh dry run is offered: %s", actions).isNotNull();
        assertThat(again.selectFirst("input[name=dry_run]").val()).isEqualTo("true");
        assertThat(again.select("input[name=expect_plan]")).isEmpty();
        assertThat(again.selectFirst("input[name=source]").val()).isEqualTo("upload:" + id);
        assertThat(again.text()).contains("stale.zip");
        assertThat(Jsoup.parse(server.console().page("/operations").body()).selectFirst("#status-import").text())
                .as("the reason, without the API's field name").contains("the source or the library changed").doesNotContain("expect_plan");

        Http.Response retry = console.post("/ui/operations/jobs/" + apply.path("job_id").asString() + "/retry", Map.of());
        assertThat(retry.status()).as("the console never applies an unreviewed plan: %s", retry).isEqualTo(422);
    }

    @Test
    void theImportAndExportFormsDisableTheirButtonWhileTheirPostIsInFlight() {
        var page = Jsoup.parse(server.console().page("/operations").body());
        assertThat(page.selectFirst("#export-form").attr("hx-disabled-elt")).as("a double click posts once")
                .isEqualTo("find #controls-export button");
        assertThat(page.selectFirst("#import-form").attr("hx-disabled-elt")).isEqualTo("find #controls-import button");
    }

    @Test
    void aPreviewWithMoreInvalidRowsThanItListsSaysHowManyItLeftOut() throws IOException {
        Http.Response upload = server.http().upload("/api/v1/uploads", "file", "bad.zip", badRows(205));
        assertThat(upload.status()).as("%s", upload).isEqualTo(201);
        JsonNode job = Jobs.run(server.http(), "import", Map.of("source", "upload:" + upload.json().path("upload_id").asString(),
                "dry_run", true));
        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("succeeded");
        JsonNode summary = job.path("result_summary");
        assertThat(summary.path("invalid_rows")).hasSize(200);
        assertThat(summary.path("invalid_rows_total").asInt()).isEqualTo(205);

        Http.Response page = server.console().page("/operations");
        Element preview = Jsoup.parse(page.body()).selectFirst("#import-preview");
        assertThat(preview).as("the preview on the page").isNotNull();
        assertThat(preview.select("table.invalid-rows tbody tr")).hasSize(200);
        assertThat(preview.text()).contains("first 200 of 205 invalid rows");
    }

    @Test
    void theJobHistoryKeepsEachFailedJobsReason() throws IOException {
        Http.Response upload = server.http().upload("/api/v1/uploads", "file", "bad.zip", badRows(3));
        JsonNode failed = Jobs.run(server.http(), "import", Map.of("source", "upload:" + upload.json().path("upload_id").asString(),
                "dry_run", false));
        assertThat(failed.path("status").asString()).as("%s", failed).isEqualTo("failed");
        // A newer job of the same type takes the card; the history still says why this one failed.
        Jobs.run(server.http(), "import", Map.of("source", "upload:" + upload.json().path("upload_id").asString(), "dry_run", true));
        var console = server.console();
        console.page("/operations");
        String history = console.fragment("/ui/operations/history?type=import").body();
        Element row = Jsoup.parse("<table>" + history + "</table>").select("tr").stream()
                .filter(tr -> tr.text().contains(failed.path("job_id").asString())).findFirst().orElseThrow(() -> new AssertionError(history));
        assertThat(row.select(".job-error").text()).as(history).contains("3 rows are invalid");
    }
}
