package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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

    // ---- hand-written workbooks: every byte of the sheet as a spreadsheet program writes it ---------------------------

    private static final String MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /** A minimal .xlsx with one worksheet named {@code sheet}: its sheetData and shared strings as given, no styles. */
    private Path handWritten(String sheet, String sheetData, String sharedStrings) throws IOException {
        String rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", ("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
                + "</Types>").getBytes(StandardCharsets.UTF_8));
        parts.put("_rels/.rels", ("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"" + rel + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")
                .getBytes(StandardCharsets.UTF_8));
        parts.put("xl/workbook.xml", ("<workbook xmlns=\"" + MAIN + "\" xmlns:r=\"" + rel + "\"><sheets><sheet name=\"" + sheet
                + "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>").getBytes(StandardCharsets.UTF_8));
        parts.put("xl/_rels/workbook.xml.rels", ("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"" + rel + "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + "<Relationship Id=\"rId2\" Type=\"" + rel + "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>")
                .getBytes(StandardCharsets.UTF_8));
        parts.put("xl/worksheets/sheet1.xml", ("<worksheet xmlns=\"" + MAIN + "\"><sheetData>" + sheetData + "</sheetData></worksheet>")
                .getBytes(StandardCharsets.UTF_8));
        parts.put("xl/sharedStrings.xml", ("<sst xmlns=\"" + MAIN + "\">" + sharedStrings + "</sst>").getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("hand-written.xlsx");
        Files.write(file, TestBook.zip(parts));
        return file;
    }

    private static String inline(String reference, String text) {
        return "<c r=\"" + reference + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
    }

    /** A header row of inline strings, columns A, B, C… */
    private static String header(String... names) {
        StringBuilder row = new StringBuilder("<row r=\"1\">");
        for (int c = 0; c < names.length; c++) {
            row.append(inline((char) ('A' + c) + "1", names[c]));
        }
        return row.append("</row>").toString();
    }

    /**
     * A Japanese IME stores the reading of what was typed (furigana) as phonetic runs beside the text; Excel shows them
     * only on request and LEN does not count them. They are not the cell's text, in a shared string or an inline one.
     */
    @Test
    void phoneticRunsAreNotPartOfACellsText() throws Exception {
        String phonetic = "<t>設定を確認する</t><rPh sb=\"0\" eb=\"2\"><t>セッテイ</t></rPh><rPh sb=\"3\" eb=\"5\"><t>カクニン</t></rPh>";
        Path file = handWritten(Columns.EXPERIENCES, header("id", "title", "context")
                        + "<row r=\"2\">" + inline("A2", "EXP-ABC-20250101-000000001") + "<c r=\"B2\" t=\"s\"><v>0</v></c>"
                        + "<c r=\"C2\" t=\"inlineStr\"><is>" + phonetic + "</is></c></row>",
                "<si>" + phonetic + "<phoneticPr fontId=\"0\" type=\"noConversion\"/></si>");
        Workbook.Row row = new XlsxFormat().read(file).table(Columns.EXPERIENCES).rows().getFirst();
        assertThat(row.get("title")).as("a shared string").isEqualTo("設定を確認する");
        assertThat(row.get("context")).as("an inline string").isEqualTo("設定を確認する");
    }

    /**
     * A formula cell holds no text a person typed: read as text, =1+1 lost its "=", and the followers of a filled-down
     * (shared) formula, which have no formula text of their own, read as empty and cleared the field. Each one the
     * import would read is an invalid row naming the cell and saying what to do; a helper formula in a column the
     * import ignores is left alone.
     */
    @Test
    void aFormulaCellIsAnInvalidRowNamingTheCell() throws Exception {
        String id = "EXP-ABC-20250101-00000000";
        StringBuilder rows = new StringBuilder(header("id", "title", "author", "notes"));
        rows.append("<row r=\"2\">").append(inline("A2", id + 2)).append("<c r=\"B2\"><f>1+1</f><v>2</v></c></row>");
        rows.append("<row r=\"3\">").append(inline("A3", id + 3)).append(inline("B3", "Three"))
                .append("<c r=\"C3\" t=\"str\"><f t=\"shared\" ref=\"C3:C5\" si=\"0\">\"ann\"</f><v>ann</v></c></row>");
        for (int r = 4; r <= 5; r++) {
            rows.append("<row r=\"" + r + "\">").append(inline("A" + r, id + r)).append(inline("B" + r, "Row " + r))
                    .append("<c r=\"C" + r + "\" t=\"str\"><f t=\"shared\" si=\"0\"/><v>ann</v></c></row>");
        }
        rows.append("<row r=\"6\">").append(inline("A6", id + 6)).append(inline("B6", "Six"))
                .append("<c r=\"C6\" t=\"str\"><v>ann</v></c></row>");
        rows.append("<row r=\"7\">").append(inline("A7", id + 7)).append(inline("B7", "Seven"))
                .append("<c r=\"D7\"><f>LEN(B7)</f><v>5</v></c></row>");
        rows.append("<row r=\"8\">").append(inline("A8", id + 8)).append("<c r=\"B8\"><f>NOW()</f></c></row>");
        Workbook.Table table = new XlsxFormat().read(handWritten(Columns.EXPERIENCES, rows.toString(), "")).table(Columns.EXPERIENCES);

        assertThat(table.problems()).extracting(RowProblem::row, RowProblem::column).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "title"), org.assertj.core.groups.Tuple.tuple(3, "author"),
                org.assertj.core.groups.Tuple.tuple(4, "author"), org.assertj.core.groups.Tuple.tuple(5, "author"),
                org.assertj.core.groups.Tuple.tuple(6, "author"), org.assertj.core.groups.Tuple.tuple(8, "title"));
        assertThat(table.problems()).allSatisfy(p -> assertThat(p.reason()).contains("formula").contains("Paste Special")
                .contains("apostrophe"));
        assertThat(table.problems().get(2).worksheet()).isEqualTo(Columns.EXPERIENCES);
        assertThat(table.problems().get(2).reason()).contains("cell C4");
        assertThat(table.rows().getFirst().get("id")).as("the row's id is still read").isEqualTo(id + 2);
    }

    @Test
    void aFormulaInTheHeaderRowIsAProblemToo() throws Exception {
        String rows = "<row r=\"1\">" + inline("A1", "id") + "<c r=\"B1\" t=\"str\"><f>\"ti\"&amp;\"tle\"</f><v>title</v></c></row>"
                + "<row r=\"2\">" + inline("A2", "EXP-ABC-20250101-000000001") + inline("B2", "Plain text") + "</row>";
        Workbook.Table table = new XlsxFormat().read(handWritten(Columns.EXPERIENCES, rows, "")).table(Columns.EXPERIENCES);
        assertThat(table.problems()).singleElement().satisfies(p -> {
            assertThat(p.row()).isEqualTo(1);
            assertThat(p.reason()).contains("header cell B1").contains("formula");
        });
    }

    /**
     * A number cell reads as the value stored, as Excel's formula bar shows it (POI's General format imitates a narrow
     * column: 3.141592654, 1.76723E+12); a date as an ISO date, not the US 1/2/26; an explicit format as displayed.
     */
    @Test
    void numberCellsReadAsTheirFullValueAndDatesAsIsoDates() throws Exception {
        Path file = dir.resolve("numbers.xlsx");
        try (org.apache.poi.xssf.usermodel.XSSFWorkbook book = new org.apache.poi.xssf.usermodel.XSSFWorkbook()) {
            var sheet = book.createSheet(Columns.EXPERIENCES);
            var header = sheet.createRow(0);
            List<String> columns = List.of("id", "title", "playbook", "context", "author", "section", "summary", "source", "content");
            for (int c = 0; c < columns.size(); c++) {
                header.createCell(c).setCellValue(columns.get(c));
            }
            var row = sheet.createRow(1);
            row.createCell(0).setCellValue("EXP-ABC-20250101-000000001");
            row.createCell(1).setCellValue(3.14159265358979);
            row.createCell(2).setCellValue(1767225600123d);
            row.createCell(3).setCellValue(12345678901234567890d);
            row.createCell(4).setCellValue(42);
            var date = book.createCellStyle();
            date.setDataFormat((short) 14); // built-in m/d/yy
            var dateCell = row.createCell(5);
            dateCell.setCellValue(46024); // 2026-01-02
            dateCell.setCellStyle(date);
            var dateTime = book.createCellStyle();
            dateTime.setDataFormat(book.createDataFormat().getFormat("d.m.yyyy h:mm"));
            var dateTimeCell = row.createCell(6);
            dateTimeCell.setCellValue(46024.5);
            dateTimeCell.setCellStyle(dateTime);
            var percent = book.createCellStyle();
            percent.setDataFormat((short) 10); // built-in 0.00%
            var percentCell = row.createCell(7);
            percentCell.setCellValue(0.25);
            percentCell.setCellStyle(percent);
            row.createCell(8).setCellValue(-0.5);
            try (var out = Files.newOutputStream(file)) {
                book.write(out);
            }
        }
        Workbook.Row row = new XlsxFormat().read(file).table(Columns.EXPERIENCES).rows().getFirst();
        assertThat(row.get("title")).isEqualTo("3.14159265358979");
        assertThat(row.get("playbook")).isEqualTo("1767225600123");
        assertThat(row.get("context")).isEqualTo("12345678901234567000");
        assertThat(row.get("author")).isEqualTo("42");
        assertThat(row.get("section")).isEqualTo("2026-01-02");
        assertThat(row.get("summary")).isEqualTo("2026-01-02 12:00:00");
        assertThat(row.get("source")).isEqualTo("25.00%");
        assertThat(row.get("content")).isEqualTo("-0.5");
    }

    /** A workbook written by the production writer with some of its parts rewritten. */
    private Path rewritten(Map<String, java.util.function.UnaryOperator<String>> edits) throws IOException {
        Path written = dir.resolve("original.xlsx");
        Files.write(written, TestBook.standard().toXlsx());
        Map<String, byte[]> parts = new LinkedHashMap<>();
        try (ZipFile in = new ZipFile(written.toFile())) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                try (var entry = in.getInputStream(e)) {
                    String text = new String(entry.readAllBytes(), StandardCharsets.UTF_8);
                    parts.put(e.getName(), (edits.containsKey(e.getName()) ? edits.get(e.getName()).apply(text) : text)
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(parts.keySet()).containsAll(edits.keySet());
        Path file = dir.resolve("rewritten.xlsx");
        Files.write(file, TestBook.zip(parts));
        return file;
    }

    private String refusal(Path file) {
        try {
            new XlsxFormat().read(file);
        } catch (dev.chl.common.ValidationException e) {
            assertThat(e.errors().getFirst().field()).isEqualTo("file");
            return e.errors().getFirst().message();
        } catch (Exception e) {
            throw new AssertionError("expected a ValidationException, got " + e, e);
        }
        throw new AssertionError("the workbook was read");
    }

    /**
     * Damage outside the worksheets (workbook.xml, styles.xml, _rels/.rels) is said like damage inside them: a
     * ValidationException for the file (it used to fail the job as an internal error, with the exception's raw text).
     */
    @Test
    void aDamagedWorkbookStylesOrRelationshipsPartIsADamagedWorkbook() throws Exception {
        java.util.function.UnaryOperator<String> halved = s -> s.substring(0, s.length() / 2);
        java.util.function.UnaryOperator<String> doctype = s -> s.replaceFirst("\\?>", "?><!DOCTYPE x [<!ENTITY e \"e\">]>");
        for (var edit : List.of(Map.of("xl/workbook.xml", halved), Map.of("xl/styles.xml", halved),
                Map.of("xl/styles.xml", doctype), Map.of("_rels/.rels", doctype))) {
            assertThat(refusal(rewritten(edit))).as("%s", edit.keySet()).startsWith("the workbook is damaged or not a spreadsheet (");
        }
    }

    @Test
    void aStrictOpenXmlWorkbookIsRefusedSayingHowToSaveIt() throws Exception {
        Path strict = rewritten(Map.of("_rels/.rels", s -> s.replace(
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")));
        assertThat(refusal(strict)).contains("Strict Open XML Spreadsheet").contains("Excel Workbook (.xlsx)");
    }

    /** POI's text for a shared string index past the end lists every shared string: megabytes in a job's error. */
    @Test
    void aSharedStringIndexOutOfRangeIsRefusedInAFewWords() throws Exception {
        StringBuilder strings = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            strings.append("<si><t>reviewer note ").append(i).append(" ").append("x".repeat(100)).append("</t></si>");
        }
        Path file = handWritten(Columns.EXPERIENCES, header("id") + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>500</v></c></row>",
                strings.toString());
        String message = refusal(file);
        assertThat(message).contains("500").hasSizeLessThanOrEqualTo(400);
    }

    /**
     * POI limits a cell to 32,767 characters of the text as written, after a literal _xHHHH_ is escaped as
     * _x005F_xHHHH_: text under the limit can pass it once escaped. The refusal says so, with both lengths.
     */
    @Test
    void textLongerThanACellOnlyOnceEscapedIsRefusedSayingWhy() {
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put("id", "MNL-ABC-20250101-000000001");
        cells.put("content", "_x0041_".repeat(4_500)); // 31,500 characters, 58,500 as written
        Workbook book = new Workbook(List.of(new Workbook.Table(Columns.MANUALS, List.of("id", "content"),
                List.of(new Workbook.Row(2, cells)))));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new XlsxFormat().write(book, OutputStream.nullOutputStream()))
                .isInstanceOf(dev.chl.common.ValidationException.class)
                .satisfies(e -> assertThat(((dev.chl.common.ValidationException) e).errors().getFirst().message())
                        .contains("58500 characters as written to the file").contains("31500 as text")
                        .contains("_x005F_xHHHH_").contains("32767"));
    }
}
