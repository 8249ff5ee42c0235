package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and writing .xlsx directly: text survives exactly, and cells written without a reference are placed as Excel does. */
class XlsxFormatTest {
    @TempDir
    Path dir;

    private static Workbook oneSheet(List<String> columns, List<Map<String, String>> rows) {
        List<Workbook.Row> numbered = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            numbered.add(new Workbook.Row(i + 2, rows.get(i)));
        }
        return new Workbook(List.of(new Workbook.Table(Columns.EXPERIENCES, columns, numbered)));
    }

    private Workbook roundTrip(Workbook book) throws IOException {
        Path file = dir.resolve("book.xlsx");
        try (var out = Files.newOutputStream(file)) {
            new XlsxFormat().write(book, out);
        }
        return new XlsxFormat().read(file);
    }

    /** OOXML escapes a character as _xHHHH_; text that merely looks like one must come back as typed, not decoded. */
    @Test
    void textThatLooksLikeAnOoxmlEscapeComesBackExactly() throws Exception {
        List<String> texts = List.of("_x0041_", "before _x0041_ after", "_x005F_", "_x005f_x0041_", "_x0041_x0042_",
                "__x0041__", "_X0041_ upper-case x", "_x004_ too short", "_x00411_ too long", "tab _x0009_ and line _x000A_",
                "_x", "ends with _x0041", "_xD83D__xDE80_ a surrogate pair");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String text : texts) {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("id", "row " + rows.size());
            cells.put("title", text);
            rows.add(cells);
        }
        Workbook back = roundTrip(oneSheet(List.of("id", "title"), rows));
        List<String> titles = back.table(Columns.EXPERIENCES).rows().stream().map(r -> r.get("title")).toList();
        assertThat(titles).containsExactlyElementsOf(texts);
    }

    /** The same workbook as written by the production writer, with every {@code r} attribute of rows and cells removed. */
    private Path withoutReferences(Workbook book) throws IOException {
        Path written = dir.resolve("written.xlsx");
        try (var out = Files.newOutputStream(written)) {
            new XlsxFormat().write(book, out);
        }
        Pattern reference = Pattern.compile("(<(?:row|c)\\b[^>]*?) r=\"[A-Z]*[0-9]+\"");
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
        int sheetsChanged = 0;
        try (ZipFile in = new ZipFile(written.toFile()); ZipOutputStream out = new ZipOutputStream(rewritten)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] bytes;
                try (var entry = in.getInputStream(e)) {
                    bytes = entry.readAllBytes();
                }
                if (e.getName().startsWith("xl/worksheets/sheet")) {
                    String xml = new String(bytes, StandardCharsets.UTF_8);
                    String stripped = reference.matcher(xml).replaceAll("$1");
                    assertThat(stripped).doesNotContain(" r=\"").contains("<row").contains("<c");
                    bytes = stripped.getBytes(StandardCharsets.UTF_8);
                    sheetsChanged++;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        assertThat(sheetsChanged).isEqualTo(1);
        Path file = dir.resolve("no-references.xlsx");
        Files.write(file, rewritten.toByteArray());
        return file;
    }

    /** In OOXML a cell's r (and a row's) is optional: without it the cell is the next column, the row the next row. */
    @Test
    void cellsAndRowsWithoutAReferenceAreTheNextColumnAndRow() throws Exception {
        List<String> columns = List.of("id", "category_code", "title");
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("id", "EXP-ABC-20250101-00000000" + i);
            cells.put("category_code", "ABC");
            cells.put("title", "Title " + i);
            rows.add(cells);
        }
        Workbook back = new XlsxFormat().read(withoutReferences(oneSheet(columns, rows)));
        Workbook.Table table = back.table(Columns.EXPERIENCES);
        assertThat(table.columns()).containsExactlyElementsOf(columns);
        assertThat(table.rows()).extracting(Workbook.Row::number).containsExactly(2, 3, 4);
        assertThat(table.rows()).extracting(Workbook.Row::cells).containsExactlyElementsOf(rows);
    }
}
