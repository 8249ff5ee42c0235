package dev.chl.exchange;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * A workbook as a test builds or inspects it, independent of the production reader and writer: worksheets of rows
 * keyed by column name, written with POI's user model (or as a zip of CSV files with Commons CSV) exactly as given —
 * no neutralisation, no trimming — so a test controls every byte the server sees.
 */
final class TestBook {
    /** One worksheet; a null cell is written as no cell at all. */
    record Table(String name, List<String> columns, List<Map<String, String>> rows) {
        Map<String, String> row(String keyColumn, String key) {
            return rows.stream().filter(r -> key.equals(r.get(keyColumn))).findFirst()
                    .orElseThrow(() -> new AssertionError("no row with " + keyColumn + " = " + key + " in " + name));
        }

        Map<String, String> entry(String id) {
            return row("id", id);
        }

        Map<String, String> add(Map<String, String> row) {
            rows.add(row);
            return row;
        }

        boolean remove(String id) {
            return rows.removeIf(r -> id.equals(r.get("id")));
        }

        List<String> ids() {
            return rows.stream().map(r -> r.get("id")).toList();
        }
    }

    private final List<Table> tables = new ArrayList<>();

    /** The three worksheets with exactly the DESIGN §7 columns, and no rows. */
    static TestBook standard() {
        TestBook book = new TestBook();
        for (String name : Columns.WORKSHEETS) {
            book.tables.add(new Table(name, new ArrayList<>(Columns.of(name)), new ArrayList<>()));
        }
        return book;
    }

    List<Table> tables() {
        return tables;
    }

    Table table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no worksheet " + name + " in " + names()));
    }

    List<String> names() {
        return tables.stream().map(Table::name).toList();
    }

    Table categories() {
        return table(Columns.CATEGORIES);
    }

    Table experiences() {
        return table(Columns.EXPERIENCES);
    }

    Table manuals() {
        return table(Columns.MANUALS);
    }

    Table addTable(String name, List<String> columns) {
        Table t = new Table(name, new ArrayList<>(columns), new ArrayList<>());
        tables.add(t);
        return t;
    }

    // ---- rows ------------------------------------------------------------------------------------------------------

    static String experienceId(String code, int n) {
        return String.format(Locale.ROOT, "EXP-%s-20250101-%09d", code, n);
    }

    static String manualId(String code, int n) {
        return String.format(Locale.ROOT, "MNL-%s-20250101-%09d", code, n);
    }

    static Map<String, String> categoryRow(String code, String name) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("code", code);
        row.put("name", name);
        row.put("description", "Category " + code + " from a workbook");
        row.put("created_at", "2025-01-01T00:00:00.000Z");
        return row;
    }

    static Map<String, String> experienceRow(String id, String code, String title) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("category_code", code);
        row.put("section", "useful");
        row.put("title", title);
        row.put("playbook", "Playbook for " + title + ": do this, then check that.");
        row.put("context", null);
        row.put("source", "global");
        row.put("sync_status", "synced");
        row.put("author", "curator");
        row.put("embedding_status", "embedded");
        row.put("created_at", "2025-01-01T00:00:00.000Z");
        row.put("updated_at", "2025-01-02T00:00:00.000Z");
        row.put("synced_at", "2025-01-03T00:00:00.000Z");
        row.put("exported_at", null);
        return row;
    }

    static Map<String, String> manualRow(String id, String code, String title) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("category_code", code);
        row.put("title", title);
        row.put("content", "Background on " + title + ".");
        row.put("summary", "About " + title);
        row.put("source", "global");
        row.put("sync_status", "synced");
        row.put("author", "curator");
        row.put("embedding_status", "embedded");
        row.put("created_at", "2025-01-01T00:00:00.000Z");
        row.put("updated_at", "2025-01-02T00:00:00.000Z");
        row.put("synced_at", "2025-01-03T00:00:00.000Z");
        row.put("exported_at", null);
        return row;
    }

    // ---- .xlsx -----------------------------------------------------------------------------------------------------

    /** Writes the book with POI's streaming writer (every cell a string); fine for tens of thousands of rows. */
    byte[] toXlsx() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeXlsx(out);
        return out.toByteArray();
    }

    void writeXlsx(OutputStream out) {
        try (SXSSFWorkbook book = new SXSSFWorkbook(100)) {
            for (Table table : tables) {
                Sheet sheet = book.createSheet(table.name());
                Row header = sheet.createRow(0);
                for (int c = 0; c < table.columns().size(); c++) {
                    header.createCell(c).setCellValue(table.columns().get(c));
                }
                int r = 1;
                for (Map<String, String> cells : table.rows()) {
                    Row row = sheet.createRow(r++);
                    for (int c = 0; c < table.columns().size(); c++) {
                        String value = cells.get(table.columns().get(c));
                        if (value != null) {
                            row.createCell(c).setCellValue(value);
                        }
                    }
                }
            }
            book.write(out);
            book.dispose();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an .xlsx with POI's user model: every worksheet, the first row as the header, cells as displayed text. */
    static TestBook fromXlsx(byte[] bytes) {
        TestBook book = new TestBook();
        DataFormatter formatter = new DataFormatter();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
            for (Sheet sheet : wb) {
                Row header = sheet.getRow(0);
                List<String> columns = new ArrayList<>();
                if (header != null) {
                    for (int c = 0; c < header.getLastCellNum(); c++) {
                        Cell cell = header.getCell(c);
                        columns.add(cell == null ? "" : formatter.formatCellValue(cell));
                    }
                }
                Table table = book.addTable(sheet.getSheetName(), columns);
                for (int r = 1; r <= sheet.getLastRowNum(); r++) {
                    Row row = sheet.getRow(r);
                    if (row == null) {
                        continue;
                    }
                    Map<String, String> cells = new LinkedHashMap<>();
                    for (int c = 0; c < columns.size(); c++) {
                        Cell cell = row.getCell(c);
                        cells.put(columns.get(c), cell == null ? null : cell.getStringCellValue());
                    }
                    table.rows().add(cells);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return book;
    }

    static TestBook fromXlsxOrCsv(String target, byte[] bytes) {
        return target.equals("xlsx") ? fromXlsx(bytes) : fromCsvZip(bytes);
    }

    // ---- CSV zip ---------------------------------------------------------------------------------------------------

    /** A zip of {@code <worksheet lower-case>.csv} files, UTF-8, written verbatim (no formula neutralisation). */
    byte[] toCsvZip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Table table : tables) {
                zip.putNextEntry(new ZipEntry(table.name().toLowerCase(Locale.ROOT) + ".csv"));
                zip.write(csv(table).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String csv(Table table) {
        StringBuilder text = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(text, CSVFormat.RFC4180)) {
            printer.printRecord(table.columns());
            for (Map<String, String> row : table.rows()) {
                List<String> cells = new ArrayList<>();
                for (String column : table.columns()) {
                    cells.add(row.get(column));
                }
                printer.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** Reads a zip of CSV files verbatim (an apostrophe stays an apostrophe); the worksheet is named after the file. */
    static TestBook fromCsvZip(byte[] bytes) {
        TestBook book = new TestBook();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)) {
            for (ZipEntry next = zip.getNextEntry(); next != null; next = zip.getNextEntry()) {
                ZipEntry entry = next;
                String text = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(
                        new java.io.StringReader(text))) {
                    String name = Columns.WORKSHEETS.stream()
                            .filter(w -> (w.toLowerCase(Locale.ROOT) + ".csv").equals(entry.getName())).findFirst()
                            .orElse(entry.getName());
                    Table table = book.addTable(name, parser.getHeaderNames());
                    for (CSVRecord record : parser) {
                        Map<String, String> cells = new LinkedHashMap<>();
                        for (String column : table.columns()) {
                            String value = record.isSet(column) ? record.get(column) : null;
                            cells.put(column, value == null || value.isEmpty() ? null : value);
                        }
                        table.rows().add(cells);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return book;
    }

    /** Zips named files as they are. */
    static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (var file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
