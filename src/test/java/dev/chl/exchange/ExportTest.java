package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.Jobs;
import dev.chl.testing.ServerExtension;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Export (DESIGN §7): what is written, what is stamped, what is left alone, and the download. */
class ExportTest {
    @RegisterExtension
    final ServerExtension server = ServerExtension.perTest();
    private ExchangeClient x;
    private String code;
    private String pending;
    private String personal;
    private String personalManual;
    private String global;
    private String manual;

    @BeforeEach
    void library() {
        x = new ExchangeClient(server.server());
        code = Fixtures.newCategory(x.http);
        pending = Fixtures.createExperience(x.http, code, "A local draft").path("id").asString();
        Map<String, Object> body = Fixtures.experience(code, "A personal note");
        body.put("sync_status", "local_only");
        personal = Fixtures.create(x.http, "experiences", body).path("id").asString();
        Map<String, Object> manualBody = Fixtures.manual(code, "A personal manual");
        manualBody.put("sync_status", "local_only");
        personalManual = Fixtures.create(x.http, "manuals", manualBody).path("id").asString();
        manual = Fixtures.createManual(x.http, code, "A shared manual").path("id").asString();
        global = TestBook.experienceId(code, 7);
        x.db.insertGlobalExperience(global, code, "A published heuristic", "embedded", "2025-03-01T00:00:00.000Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xlsx", "csv"})
    void writesEverythingButLocalOnlyEntries(String target) {
        JsonNode job = x.exportJob(target);
        TestBook book = TestBook.fromXlsxOrCsv(target, x.download(job.path("job_id").asString()));

        assertThat(book.experiences().ids()).contains(pending, global).doesNotContain(personal);
        assertThat(book.manuals().ids()).contains(manual, dev.chl.entries.LibrarySeed.GENERATOR_GUIDE_ID)
                .doesNotContain(personalManual);
        assertThat(book.experiences().ids()).hasSize((int) x.db.count("SELECT count(*) FROM experiences WHERE sync_status <> 'local_only'"));
        assertThat(book.manuals().ids()).hasSize((int) x.db.count("SELECT count(*) FROM manuals WHERE sync_status <> 'local_only'"));
        assertThat(book.categories().rows()).extracting(r -> r.get("code")).contains(code, "GLN");

        // the rows carry the store's values
        Map<String, String> row = book.experiences().entry(global);
        assertThat(row).containsEntry("category_code", code).containsEntry("section", "useful")
                .containsEntry("title", "A published heuristic").containsEntry("source", "global")
                .containsEntry("sync_status", "synced").containsEntry("synced_at", "2025-03-01T00:00:00.000Z")
                .containsEntry("context", null);
        assertThat(book.experiences().entry(pending)).containsEntry("source", "local").containsEntry("sync_status", "pending")
                .containsEntry("synced_at", null);

        JsonNode summary = job.path("result_summary");
        assertThat(summary.path("target").asString()).isEqualTo(target);
        assertThat(summary.path("experiences").asInt()).isEqualTo(book.experiences().rows().size());
        assertThat(summary.path("manuals").asInt()).isEqualTo(book.manuals().rows().size());
    }

    @Test
    void stampsExportedAtAndLeavesSyncStatusAlone() {
        var before = x.db.rows("SELECT id, source, sync_status, synced_at, updated_at FROM experiences ORDER BY id");
        var manualsBefore = x.db.rows("SELECT id, source, sync_status, synced_at, updated_at FROM manuals ORDER BY id");
        assertThat(x.db.count("SELECT count(*) FROM experiences WHERE exported_at IS NOT NULL")).isZero();
        Instant start = Instant.now().minusSeconds(1);

        x.exportJob("xlsx");

        assertThat(x.db.rows("SELECT id, source, sync_status, synced_at, updated_at FROM experiences ORDER BY id")).isEqualTo(before);
        assertThat(x.db.rows("SELECT id, source, sync_status, synced_at, updated_at FROM manuals ORDER BY id")).isEqualTo(manualsBefore);
        for (String id : List.of(pending, global, manual)) {
            Object exportedAt = x.entry(id).get("exported_at");
            assertThat(exportedAt).as("exported_at of %s", id).isNotNull();
            assertThat(Instant.parse((String) exportedAt)).isAfter(start).isBefore(Instant.now().plusSeconds(1));
        }
        assertThat(x.entry(personal).get("exported_at")).as("a local_only entry is not exported, so not stamped").isNull();
        assertThat(x.entry(personalManual).get("exported_at")).isNull();
        // the API shows the stamp too
        assertThat(x.http.get("/api/v1/experiences/" + pending).json().path("exported_at").isNull()).isFalse();
    }

    @Test
    void theXlsxHasTheThreeWorksheetsWithExactlyTheDesignColumns() throws Exception {
        Http.Download d = x.http.download("/api/v1/operations/jobs/" + x.exportJob("xlsx").path("job_id").asString() + "/download");
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.contentType()).startsWith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assertThat(d.header("Content-Disposition")).contains("attachment").contains(".xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(d.body()))) {
            List<String> names = new ArrayList<>();
            wb.forEach(s -> names.add(s.getSheetName()));
            assertThat(names).containsExactly("Categories", "Experiences", "Manuals");
            assertThat(header(wb.getSheet("Categories"))).containsExactly("code", "name", "description", "created_at");
            assertThat(header(wb.getSheet("Experiences"))).containsExactly("id", "category_code", "section", "title", "playbook",
                    "context", "source", "sync_status", "author", "embedding_status", "created_at", "updated_at", "synced_at",
                    "exported_at");
            assertThat(header(wb.getSheet("Manuals"))).containsExactly("id", "category_code", "title", "content", "summary", "source",
                    "sync_status", "author", "embedding_status", "created_at", "updated_at", "synced_at", "exported_at");
            // every cell is text: nothing a spreadsheet would run
            for (Sheet sheet : wb) {
                for (Row row : sheet) {
                    for (Cell cell : row) {
                        assertThat(cell.getCellType()).as("%s!%s", sheet.getSheetName(), cell.getAddress())
                                .isEqualTo(org.apache.poi.ss.usermodel.CellType.STRING);
                    }
                }
            }
        }
    }

    private static List<String> header(Sheet sheet) {
        assertThat(sheet).as("worksheet").isNotNull();
        List<String> names = new ArrayList<>();
        sheet.getRow(0).forEach(c -> names.add(c.getStringCellValue()));
        return names;
    }

    @Test
    void theCsvZipHasTheThreeFilesWithExactlyTheDesignColumns() throws Exception {
        Http.Download d = x.http.download("/api/v1/operations/jobs/" + x.exportJob("csv").path("job_id").asString() + "/download");
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.contentType()).startsWith("application/zip");
        assertThat(d.header("Content-Disposition")).contains(".zip");
        List<String> files = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(d.body()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                files.add(e.getName());
                String header = new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
                String worksheet = switch (e.getName()) {
                    case "categories.csv" -> Columns.CATEGORIES;
                    case "experiences.csv" -> Columns.EXPERIENCES;
                    case "manuals.csv" -> Columns.MANUALS;
                    default -> throw new AssertionError("unexpected file " + e.getName());
                };
                assertThat(header).isEqualTo(String.join(",", Columns.of(worksheet)));
            }
        }
        assertThat(files).containsExactly("categories.csv", "experiences.csv", "manuals.csv");
    }

    @Test
    void downloadingAJobThatIsNotAnExportIs409() {
        String backup = Jobs.succeed(x.http, "backup", Map.of()).path("job_id").asString();
        Http.Download d = x.http.download("/api/v1/operations/jobs/" + backup + "/download");
        assertThat(d.status()).as(d.text()).isEqualTo(409);
        assertThat(d.contentType()).startsWith("application/problem+json");

        String dryRun = x.runImport(x.upload("book.xlsx", x.export("xlsx")), true).path("job_id").asString();
        assertThat(x.http.download("/api/v1/operations/jobs/" + dryRun + "/download").status()).isEqualTo(409);

        assertThat(x.http.download("/api/v1/operations/jobs/JOB-20250101-000000000-none/download").status()).isEqualTo(404);
    }

    @Test
    void aManualTooLongForAnXlsxCellIsRefusedClearlyAndRoundTripsAsCsv() throws Exception {
        // DESIGN allows manual content up to 100,000 characters; an .xlsx cell holds at most 32,767. Cutting the text
        // would lose it for good once the cut file is imported back, so the xlsx export must refuse, naming the entry.
        Map<String, Object> body = Fixtures.manual(code, "A very long manual");
        String content = "0123456789abcdef ".repeat(3000).strip();
        assertThat(content.length()).isGreaterThan(32_767);
        body.put("content", content);
        String id = Fixtures.create(x.http, "manuals", body).path("id").asString();

        JsonNode job = Jobs.run(x.http, "export", Map.of("target", "xlsx"));
        assertThat(job.path("status").asString()).as("export: %s", job).isEqualTo("failed");
        assertThat(job.path("error").asString()).contains(id).contains("content").contains("csv");
        assertThat(x.entry(id).get("exported_at")).as("a failed export stamps nothing").isNull();
        assertThat(x.entry(pending).get("exported_at")).isNull();
        try (var files = java.nio.file.Files.list(server.server().dataDir().resolve("exports"))) {
            assertThat(files.toList()).as("no half-written file is left behind").isEmpty();
        } catch (java.nio.file.NoSuchFileException none) {
            // nothing written at all
        }

        JsonNode preview = x.preview(x.upload("long.zip", x.export("csv")));
        assertThat(preview.path("invalid_rows")).as("%s", preview).isEmpty();
        assertThat(preview.path("counts").path("update").asInt()).as("the long manual comes back unchanged").isZero();
        assertThat(TestBook.fromCsvZip(x.export("csv")).manuals().entry(id).get("content")).isEqualTo(content);
    }
}
