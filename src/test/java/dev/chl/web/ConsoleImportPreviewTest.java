package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

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
}
