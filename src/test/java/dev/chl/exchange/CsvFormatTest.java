package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chl.common.ValidationException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading CSV zips directly: encodings, row numbers, and hostile archives (memory is measured, not guessed). */
class CsvFormatTest {
    @TempDir
    Path dir;

    private Path zip(String name, Map<String, byte[]> files) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, TestBook.zip(files));
        return file;
    }

    /** Bytes this thread allocated while running {@code work} (HotSpot's per-thread allocation counter). */
    private static long allocatedBy(ThrowingRunnable work) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A zip holding one entry of {@code size} bytes of {@code fill}, compressed as hard as deflate can, written streaming. */
    static void writeBomb(Path file, String entry, String header, long size, byte fill) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(header.getBytes(StandardCharsets.UTF_8));
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, fill);
            for (long written = 0; written < size; written += chunk.length) {
                zip.write(chunk, 0, (int) Math.min(chunk.length, size - written));
            }
            zip.closeEntry();
        }
    }

    @Test
    void aZipBombOfZerosIsRefusedWithoutReadingItIntoMemory() throws Exception {
        Path bomb = dir.resolve("bomb.zip");
        writeBomb(bomb, "experiences.csv", "", 300L << 20, (byte) 0);
        assertThat(Files.size(bomb)).as("a few hundred KB on disk").isLessThan(1L << 20);

        long allocated = allocatedBy(() -> assertThatThrownBy(() -> new CsvFormat().read(bomb))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors().getFirst().message())
                        .contains("experiences.csv").containsAnyOf("zip bomb", "compressed")));
        assertThat(allocated).as("bytes allocated reading a 300 MB bomb").isLessThan(200L << 20);
    }

    @Test
    void aZipBombOfManyTinyRowsIsRefusedWithoutBuildingMillionsOfRows() throws Exception {
        Path bomb = dir.resolve("rows.zip");
        // "1\n" over and over: every line a row of its own, so a reader that keeps rows would hold tens of millions
        try (OutputStream out = Files.newOutputStream(bomb); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("experiences.csv"));
            zip.write("id\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "1\n".repeat(1 << 19).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 200; i++) {
                zip.write(chunk);
            }
            zip.closeEntry();
        }
        long allocated = allocatedBy(() -> assertThatThrownBy(() -> new CsvFormat().read(bomb)).isInstanceOf(ValidationException.class));
        assertThat(allocated).as("bytes allocated reading a bomb of 100 million rows").isLessThan(400L << 20);
    }

    /**
     * CHL's own export of long, repetitive manuals (a line repeated, as pasted logs and generated tables are) inflates
     * about 50 times overall, but more than 100 times over stretches of the file: the guard used to compare the bytes
     * inflated so far with the compressed bytes read so far, and refused the export as a zip bomb.
     */
    @Test
    void aLargeRepetitiveExportOfCHLsOwnIsReadNotTakenForAZipBomb() throws Exception {
        List<Workbook.Row> manuals = new ArrayList<>();
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 400; i++) {
            // the first hundred are one line repeated; the rest also carry a pasted hash list, which compresses little
            String hashes = i < 100 ? "" : java.util.HexFormat.of().formatHex(bytes(random, 1000)) + " ";
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("id", "MNL-DOC-20260101-" + String.format("%09d", i));
            cells.put("category_code", "DOC");
            cells.put("title", "Manual " + i + " long");
            cells.put("content", hashes + ("Paragraph about docs " + i + ". ").repeat(300));
            cells.put("source", "local");
            cells.put("sync_status", "pending");
            cells.put("embedding_status", "embedded");
            cells.put("created_at", "2026-01-01T00:00:00.000Z");
            cells.put("updated_at", "2026-01-01T00:00:00.000Z");
            manuals.add(new Workbook.Row(i + 2, cells));
        }
        Workbook export = new Workbook(List.of(
                new Workbook.Table(Columns.CATEGORIES, Columns.CATEGORY, List.of(new Workbook.Row(2, Map.of("code", "DOC", "name", "Docs"))), List.of()),
                new Workbook.Table(Columns.EXPERIENCES, Columns.EXPERIENCE, List.of(), List.of()),
                new Workbook.Table(Columns.MANUALS, Columns.MANUAL, manuals, List.of())));
        Path file = dir.resolve("export.zip");
        try (OutputStream out = Files.newOutputStream(file)) {
            new CsvFormat().write(export, out);
        }
        long unpacked;
        try (var zip = new java.util.zip.ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("manuals.csv");
            unpacked = entry.getSize();
            assertThat(entry.getSize()).as("overall far below the limit").isLessThan(CsvFormat.MAX_INFLATE_RATIO * entry.getCompressedSize());
        }
        assertThat(unpacked).as("a large file").isGreaterThan(3L << 20);

        Workbook read = new CsvFormat().read(file);

        assertThat(read.tables()).filteredOn(t -> t.name().equals(Columns.MANUALS)).singleElement()
                .satisfies(t -> assertThat(t.rows()).hasSize(400).allSatisfy(r -> {
                    int i = r.number() - 2;
                    int paragraphs = ("Paragraph about docs " + i + ". ").length() * 300;
                    assertThat(r.cells().get("content")).as("row %d whole", i).hasSize(i < 100 ? paragraphs : 2001 + paragraphs)
                            .endsWith("Paragraph about docs " + i + ". ");
                }));
    }

    private static byte[] bytes(java.util.Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A real bomb is still refused, with the figures: inflating far more than 100 times the entry's compressed size. */
    @Test
    void aBombIsRefusedWithItsRealFigures() throws Exception {
        Path bomb = dir.resolve("small-bomb.zip");
        writeBomb(bomb, "manuals.csv", "id\n", 100L << 20, (byte) 'a');

        assertThatThrownBy(() -> new CsvFormat().read(bomb)).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors().getFirst().message())
                        .contains("manuals.csv").contains("zip bomb").containsPattern("unpacks to more than [0-9.]+ MB from a zip of [0-9]+ KB"));

        // padded with an incompressible file, the zip as a whole is no bomb: the entry's own ratio is what counts
        Map<String, byte[]> padded = new LinkedHashMap<>();
        padded.put("padding.bin", bytes(new java.util.Random(9), 1024 * 1024));
        padded.put("manuals.csv", ("id\n" + "a".repeat(70 << 20)).getBytes(StandardCharsets.US_ASCII));
        Path hidden = zip("padded-bomb.zip", padded);
        assertThatThrownBy(() -> new CsvFormat().read(hidden)).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors().getFirst().message())
                        .contains("manuals.csv").contains("zip bomb").containsPattern("70.0 MB from [0-9]+ KB compressed, [0-9]+ times"));
    }

    @Test
    void textThatIsNotUtf8IsRefusedNamingTheFile() throws Exception {
        byte[] latin1 = "id,category_code,section,title,playbook\nEXP-ABC-20250101-000000001,ABC,useful,Caf\u00e9,x\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        Path file = zip("latin1.zip", Map.of("experiences.csv", latin1));
        assertThatThrownBy(() -> new CsvFormat().read(file)).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors().getFirst().message())
                        .contains("experiences.csv").contains("UTF-8"));
    }

    @Test
    void aByteOrderMarkAsExcelWritesForCsvUtf8IsNotPartOfTheFirstColumnName() throws Exception {
        // Excel's "CSV UTF-8 (Comma delimited)" starts the file with EF BB BF
        byte[] text = "code,name,description,created_at\nABC,Shelf,,\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        Workbook book = new CsvFormat().read(zip("bom.zip", Map.of("categories.csv", withBom)));
        Workbook.Table categories = book.table(Columns.CATEGORIES);
        assertThat(categories.columns()).containsExactly("code", "name", "description", "created_at");
        assertThat(categories.rows().getFirst().get("code")).isEqualTo("ABC");
    }

    @Test
    void rowNumbersAreSpreadsheetRowsAndEmptyCellsAreNull() throws Exception {
        String csv = "id,title,playbook\n"
                + "EXP-ABC-20250101-000000001,First,\"two\nlines\"\n"
                + ",,\n"
                + "EXP-ABC-20250101-000000002,Third,x\n";
        Workbook book = new CsvFormat().read(zip("rows.zip", Map.of("experiences.csv", csv.getBytes(StandardCharsets.UTF_8))));
        var rows = book.table(Columns.EXPERIENCES).rows();
        assertThat(rows).extracting(Workbook.Row::number).containsExactly(2, 4);
        assertThat(rows.getFirst().get("playbook")).isEqualTo("two\nlines");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("id", "EXP-ABC-20250101-000000002");
        expected.put("title", "Third");
        expected.put("playbook", "x");
        assertThat(rows.get(1).cells()).isEqualTo(expected);
    }

    @Test
    void headerNamesAreTrimmedAsInAnXlsxHeader() throws Exception {
        String csv = " id ,title,\tauthor\n"
                + "EXP-ABC-20250101-000000001,First,someone\n";
        Workbook book = new CsvFormat().read(zip("spaced.zip", Map.of("experiences.csv", csv.getBytes(StandardCharsets.UTF_8))));
        Workbook.Table table = book.table(Columns.EXPERIENCES);
        assertThat(table.columns()).containsExactly("id", "title", "author");
        assertThat(table.rows().getFirst().get("author")).isEqualTo("someone");
        assertThat(table.rows().getFirst().get("id")).isEqualTo("EXP-ABC-20250101-000000001");
    }

    @Test
    void aRowWhoseCellCountDiffersFromTheHeaderIsAProblemOfThatRow() throws Exception {
        String csv = "id,title,author\n"
                + "EXP-ABC-20250101-000000001,Short\n"
                + "EXP-ABC-20250101-000000002,Fine,someone\n"
                + "EXP-ABC-20250101-000000003,Long,someone,extra\n"
                + "\n"
                + ",,\n";
        Workbook book = new CsvFormat().read(zip("ragged.zip", Map.of("experiences.csv", csv.getBytes(StandardCharsets.UTF_8))));
        Workbook.Table table = book.table(Columns.EXPERIENCES);
        assertThat(table.problems()).extracting(RowProblem::row).containsExactly(2, 4);
        assertThat(table.problems().getFirst()).satisfies(p -> {
            assertThat(p.worksheet()).isEqualTo(Columns.EXPERIENCES);
            assertThat(p.column()).isEqualTo("author");
            assertThat(p.reason()).contains("2 cells").contains("3 columns");
        });
        assertThat(table.problems().get(1).reason()).contains("4 cells").contains("3 columns");
    }

    @Test
    void twoFilesForTheSameWorksheetAreRefusedNamingBoth() throws Exception {
        byte[] experiences = "id,title\nEXP-ABC-20250101-000000001,Either\n".getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("old/experiences.csv", experiences);
        files.put("Experiences.CSV", experiences);
        Path file = zip("twice.zip", files);
        assertThatThrownBy(() -> new CsvFormat().read(file)).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors().getFirst().message())
                        .contains("old/experiences.csv").contains("Experiences.CSV").contains(Columns.EXPERIENCES));
    }

    /**
     * Excel in de/fr/it/es/nl locales saves "CSV" separated by ';'. Read with ',' the header was one column named
     * "code;name;…" (a problem for every column, all visibly there) and a quoted multi-line cell was a parse error.
     */
    @Test
    void aSemicolonSeparatedCsvAsEuropeanExcelSavesItIsRead() throws Exception {
        String csv = "\uFEFFid;title;playbook\r\n"
                + "EXP-ABC-20250101-000000001;Commas, and more;\"two\r\nlines; \"\"quoted\"\"\"\r\n"
                + "EXP-ABC-20250101-000000002;Second;x\r\n";
        Workbook.Table table = new CsvFormat().read(zip("semicolons.zip", Map.of("experiences.csv", csv.getBytes(StandardCharsets.UTF_8))))
                .table(Columns.EXPERIENCES);
        assertThat(table.columns()).containsExactly("id", "title", "playbook");
        assertThat(table.problems()).isEmpty();
        assertThat(table.rows().getFirst().cells()).containsEntry("title", "Commas, and more")
                .containsEntry("playbook", "two\r\nlines; \"quoted\"");
        assertThat(table.rows().get(1).get("title")).isEqualTo("Second");
    }

    /** A parser's complaint is about the CSV text, not about reading the zip. */
    @Test
    void textThatIsNotValidCsvIsRefusedAsSuchWithTheParsersDetail() throws Exception {
        String csv = "id,title\nEXP-ABC-20250101-000000001,\"quoted\" then more\n";
        Path file = zip("broken.zip", Map.of("experiences.csv", csv.getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> new CsvFormat().read(file)).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors().getFirst().message())
                        .startsWith("experiences.csv is not valid CSV (").contains("line").doesNotContain("zip"));
    }

    /** Manuals that are one log excerpt repeated: CHL's own export inflates 170 times and more, and must read back. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"csv", "xlsx"})
    void anExportOfVeryRepetitiveManualsReadsBack(String format) throws IOException {
        List<Workbook.Row> manuals = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("id", "MNL-LOG-20260101-" + String.format("%09d", i));
            cells.put("category_code", "LOG");
            cells.put("title", "Log excerpt " + i);
            cells.put("content", "2026-01-01T00:00:00Z INFO request served in 3 ms status=200 path=/health\n".repeat(400));
            manuals.add(new Workbook.Row(i + 2, cells));
        }
        Workbook export = new Workbook(List.of(
                new Workbook.Table(Columns.CATEGORIES, Columns.CATEGORY, List.of(new Workbook.Row(2, Map.of("code", "LOG", "name", "Logs")))),
                new Workbook.Table(Columns.EXPERIENCES, Columns.EXPERIENCE, List.of()),
                new Workbook.Table(Columns.MANUALS, Columns.MANUAL, manuals)));
        WorkbookFormat writer = format.equals("csv") ? new CsvFormat() : new XlsxFormat();
        Path file = dir.resolve("export." + writer.extension());
        try (OutputStream out = Files.newOutputStream(file)) {
            writer.write(export, out);
        }
        Workbook read = writer.read(file);
        assertThat(read.table(Columns.MANUALS).rows()).hasSize(40)
                .allSatisfy(r -> assertThat(r.get("content")).hasSize(manuals.getFirst().cells().get("content").length()));
    }
}
