package dev.chl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.ServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code chl export} and {@code chl import} against a real running server, as a curator uses them. */
class CliExchangeTest {
    private static final Pattern EXPORTED = Pattern.compile("exported (\\d+) categories, (\\d+) experiences, (\\d+) manuals to ");
    private static final Pattern PREVIEW_LINE = Pattern.compile("(?m)^(add|update|unchanged|retire|keep_local|invalid) +(\\d+)(.*)$");

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static String category;
    private static String edited;
    private static String personal;

    @TempDir
    Path dir;

    @BeforeAll
    static void library() {
        category = Fixtures.newCategory(server.http());
        edited = Fixtures.createExperience(server.http(), category, "Retry idempotent calls with jitter").path("id").asString();
        Fixtures.createExperience(server.http(), category, "Pin dependency versions in CI");
        Fixtures.createManual(server.http(), category, "How the deploy pipeline works");
        Map<String, Object> local = Fixtures.experience(category, "My own shortcut for flaky tests");
        local.put("sync_status", "local_only");
        personal = Fixtures.create(server.http(), "experiences", local).path("id").asString();
    }

    private static Cli.Run chl(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--url");
        all.add(server.baseUrl());
        return Cli.run(Map.of(), all.toArray(String[]::new));
    }

    @Test
    void anExportedWorkbookImportsBackAsADryRunWithAReadablePreview() throws Exception {
        Path out = dir.resolve("review.xlsx");
        Cli.Run export = chl("export", "--to", out.toString());
        assertThat(export.exitCode()).as(export.toString()).isZero();
        Matcher counts = EXPORTED.matcher(export.out());
        assertThat(counts.find()).as(export.toString()).isTrue();
        assertThat(Files.size(out)).isPositive();
        try (InputStream in = Files.newInputStream(out)) {
            assertThat(new String(in.readNBytes(2))).as("an .xlsx is a zip").isEqualTo("PK");
        }
        long entries = Long.parseLong(counts.group(2)) + Long.parseLong(counts.group(3));
        long audits = server.db().count("SELECT count(*) FROM audit_log WHERE action LIKE 'import.%' OR action LIKE 'entry.%'");

        Cli.Run dryRun = chl("import", "--from", out.toString(), "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).as(dryRun.toString()).containsPattern("(?m)^action +entries$").doesNotContain("{");
        Map<String, Long> preview = preview(dryRun.out());
        assertThat(preview).as(dryRun.toString()).containsEntry("add", 0L).containsEntry("update", 0L).containsEntry("retire", 0L)
                .containsEntry("invalid", 0L).containsEntry("keep_local", 1L).containsEntry("unchanged", entries);
        assertThat(line(dryRun.out(), "keep_local")).as("the personal entry stays, by id").contains(personal);
        assertThat(dryRun.err()).contains("(dry run)");
        assertThat(server.db().count("SELECT count(*) FROM audit_log WHERE action LIKE 'import.%' OR action LIKE 'entry.%'"))
                .as("a dry run changes nothing").isEqualTo(audits);
    }

    /** The launcher's JVM ends with System.exit: what the command printed must be flushed before it, or it never shows. */
    @Test
    void theLaunchedCommandShowsItsPreviewBeforeTheProcessExits() throws Exception {
        Path out = dir.resolve("review.zip");
        assertThat(chl("export", "--to", out.toString()).exitCode()).isZero();
        Cli.Run dryRun = Cli.launch(Map.of(), "import", "--from", out.toString(), "--dry-run", "--url", server.baseUrl());
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out()).as(dryRun.toString()).containsPattern("(?m)^action +entries$");
        assertThat(preview(dryRun.out())).containsEntry("invalid", 0L);
    }

    @Test
    void aCuratedWorkbookPreviewsAndAppliesItsChanges() throws Exception {
        Path review = dir.resolve("review.xlsx");
        assertThat(chl("export", "--to", review.toString()).exitCode()).isZero();
        Path published = dir.resolve("published.xlsx");
        String added = "EXP-" + category + "-20250101-000000001";
        edit(review, published, book -> {
            Sheet sheet = book.getSheet("Experiences");
            set(sheet, row(sheet, edited), "title", "Retry idempotent calls with jitter and a cap");
            Row copy = sheet.createRow(sheet.getLastRowNum() + 1);
            Row from = row(sheet, edited);
            for (Cell cell : from) {
                copy.createCell(cell.getColumnIndex()).setCellValue(cell.getStringCellValue());
            }
            set(sheet, copy, "id", added);
            set(sheet, copy, "title", "Log the retry count with every retried call");
        });

        Cli.Run dryRun = chl("import", "--from", published.toString(), "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(preview(dryRun.out())).containsEntry("add", 1L).containsEntry("update", 1L).containsEntry("invalid", 0L);
        assertThat(line(dryRun.out(), "add")).contains(added);
        assertThat(line(dryRun.out(), "update")).contains(edited);
        assertThat(server.http().get("/api/v1/experiences/" + added).status()).as("a dry run adds nothing").isEqualTo(404);

        Cli.Run apply = chl("import", "--from", published.toString());
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).containsPattern("backup taken before applying: \\S+");
        assertThat(server.http().get("/api/v1/experiences/" + added).status()).isEqualTo(200);
        assertThat(server.http().get("/api/v1/experiences/" + edited).json().path("title").asString())
                .isEqualTo("Retry idempotent calls with jitter and a cap");
    }

    @Test
    void invalidRowsFailTheImportWithANonZeroExitAndSayWhere() throws Exception {
        Path review = dir.resolve("review.xlsx");
        assertThat(chl("export", "--to", review.toString()).exitCode()).isZero();
        Path broken = dir.resolve("broken.xlsx");
        int[] rowNumber = new int[1];
        edit(review, broken, book -> {
            Sheet sheet = book.getSheet("Experiences");
            Row row = row(sheet, edited);
            set(sheet, row, "section", "sometimes");
            rowNumber[0] = row.getRowNum() + 1;
        });
        String before = server.http().get("/api/v1/experiences/" + edited).json().toString();

        Cli.Run dryRun = chl("import", "--from", broken.toString(), "--dry-run");
        assertThat(dryRun.exitCode()).as("an invalid preview is not a success: %s", dryRun).isEqualTo(1);
        assertThat(dryRun.out()).contains("Invalid rows").containsPattern("Experiences +" + rowNumber[0] + " +section +\\S");

        Cli.Run apply = chl("import", "--from", broken.toString());
        assertThat(apply.exitCode()).as(apply.toString()).isEqualTo(1);
        assertThat(apply.err()).as(apply.toString()).contains("chl: failed:").contains("rows are invalid; nothing was imported");
        assertThat(server.http().get("/api/v1/experiences/" + edited).json().toString()).isEqualTo(before);
    }

    @Test
    void aZipOfCsvFilesRoundTripsToo() throws Exception {
        Path out = dir.resolve("review.zip");
        Cli.Run export = chl("export", "--to", out.toString());
        assertThat(export.exitCode()).as(export.toString()).isZero();
        try (ZipFile zip = new ZipFile(out.toFile())) {
            assertThat(zip.stream().map(e -> e.getName()).toList()).contains("experiences.csv", "manuals.csv", "categories.csv");
        }
        Cli.Run dryRun = chl("import", "--from", out.toString(), "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(preview(dryRun.out())).containsEntry("add", 0L).containsEntry("invalid", 0L);
    }

    @Test
    void aFileThatIsNoWorkbookIsRefusedWithTheServersReason() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.xlsx"), "just some notes");
        Cli.Run r = chl("import", "--from", notes.toString(), "--dry-run");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).contains("chl: ").contains(".xlsx").doesNotContain("Exception").doesNotContain("\tat ");
    }

    // ---- the preview table and workbook edits ----------------------------------------------------------------------

    private static Map<String, Long> preview(String out) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Matcher m = PREVIEW_LINE.matcher(out);
        while (m.find()) {
            counts.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertThat(counts.keySet()).as(out).containsExactly("add", "update", "unchanged", "retire", "keep_local", "invalid");
        return counts;
    }

    private static String line(String out, String action) {
        return out.lines().filter(l -> l.startsWith(action + " ")).findFirst().orElseThrow();
    }

    /** Opens an .xlsx with POI's user model, lets {@code change} edit it, and saves it as {@code to}. */
    private static void edit(Path from, Path to, Consumer<XSSFWorkbook> change) throws IOException {
        try (InputStream in = Files.newInputStream(from); XSSFWorkbook book = new XSSFWorkbook(in)) {
            change.accept(book);
            try (OutputStream out = Files.newOutputStream(to)) {
                book.write(out);
            }
        }
    }

    private static int column(Sheet sheet, String name) {
        for (Cell cell : sheet.getRow(0)) {
            if (cell.getStringCellValue().equals(name)) {
                return cell.getColumnIndex();
            }
        }
        throw new AssertionError("no column " + name);
    }

    private static Row row(Sheet sheet, String id) {
        int idColumn = column(sheet, "id");
        for (Row row : sheet) {
            Cell cell = row.getCell(idColumn);
            if (row.getRowNum() > 0 && cell != null && cell.getStringCellValue().equals(id)) {
                return row;
            }
        }
        throw new AssertionError("no row " + id);
    }

    private static void set(Sheet sheet, Row row, String column, String value) {
        int c = column(sheet, column);
        if (row.getCell(c) != null) {
            // POI would write the new value beside the exported inline string, not over it: replace the cell instead
            row.removeCell(row.getCell(c));
        }
        row.createCell(c).setCellValue(value);
    }
}
