package dev.chl.exchange;

import dev.chl.common.ValidationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV: a zip of three UTF-8 files, {@code categories.csv}, {@code experiences.csv}, {@code manuals.csv}. Cells that a
 * spreadsheet would run as a formula (starting with = + - @) are written with a leading apostrophe, which the
 * import removes again; text that is not valid UTF-8 is refused with the file and line to fix.
 */
final class CsvFormat implements WorkbookFormat {
    static final long MAX_UNPACKED_BYTES = 512L * 1024 * 1024;
    private static final String DANGEROUS = "=+-@";

    @Override
    public String extension() {
        return "zip";
    }

    @Override
    public String contentType() {
        return "application/zip";
    }

    @Override
    public void write(Workbook workbook, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        for (Workbook.Table table : workbook.tables()) {
            zip.putNextEntry(new ZipEntry(fileName(table.name())));
            Writer writer = new OutputStreamWriter(zip, StandardCharsets.UTF_8);
            CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180);
            printer.printRecord(table.columns());
            for (Workbook.Row row : table.rows()) {
                List<String> cells = new ArrayList<>(table.columns().size());
                for (String column : table.columns()) {
                    cells.add(neutralise(row.cells().get(column)));
                }
                printer.printRecord(cells);
            }
            printer.flush();
            zip.closeEntry();
        }
        zip.finish();
    }

    @Override
    public Workbook read(Path file) throws IOException {
        List<Workbook.Table> tables = new ArrayList<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry entry;
            boolean any = false;
            while ((entry = zip.getNextEntry()) != null) {
                any = true;
                String name = entry.getName();
                String worksheet = worksheetOf(name);
                if (entry.isDirectory() || worksheet == null) {
                    continue;
                }
                byte[] bytes = readBounded(zip, MAX_UNPACKED_BYTES - total, name);
                total += bytes.length;
                tables.add(parse(worksheet, name, bytes));
            }
            if (!any) {
                throw new ValidationException("file", "the upload is not a zip of CSV files; export categories.csv, experiences.csv "
                        + "and manuals.csv and zip them");
            }
        } catch (ZipException e) {
            throw new ValidationException("file", "the upload is not a readable zip (" + e.getMessage() + ")");
        }
        return new Workbook(tables);
    }

    private static Workbook.Table parse(String worksheet, String fileName, byte[] bytes) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(bytes), decoder);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            List<String> columns = new ArrayList<>(parser.getHeaderNames());
            List<Workbook.Row> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                Map<String, String> cells = new LinkedHashMap<>();
                for (String column : columns) {
                    cells.put(column, record.isSet(column) ? unneutralise(record.get(column)) : null);
                }
                if (cells.values().stream().anyMatch(v -> v != null && !v.isBlank())) {
                    rows.add(new Workbook.Row((int) record.getRecordNumber() + 1, cells));
                }
            }
            return new Workbook.Table(worksheet, columns, rows);
        } catch (CharacterCodingException | java.io.UncheckedIOException e) {
            throw new ValidationException("file", fileName + " is not UTF-8 text; save it as CSV UTF-8 and zip it again");
        } catch (IllegalArgumentException e) {
            throw new ValidationException("file", fileName + " is not valid CSV: " + e.getMessage());
        }
    }

    private static byte[] readBounded(InputStream in, long budget, String name) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, budget + 1));
        if (bytes.length > budget) {
            throw new ValidationException("file", name + " unpacks to more than " + (MAX_UNPACKED_BYTES >> 20) + " MB; is it a zip bomb?");
        }
        return bytes;
    }

    static String fileName(String worksheet) {
        return worksheet.toLowerCase(Locale.ROOT) + ".csv";
    }

    private static String worksheetOf(String entryName) {
        String base = entryName.contains("/") ? entryName.substring(entryName.lastIndexOf('/') + 1) : entryName;
        for (String worksheet : Columns.WORKSHEETS) {
            if (fileName(worksheet).equalsIgnoreCase(base)) {
                return worksheet;
            }
        }
        return null;
    }

    static String neutralise(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        return needsApostrophe(value) ? "'" + value : value;
    }

    static String unneutralise(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return value.charAt(0) == '\'' && needsApostrophe(value.substring(1)) ? value.substring(1) : value;
    }

    /**
     * Whether a value gets a leading apostrophe on export: it starts with a formula character, or it already starts
     * with apostrophes followed by one (so a value like {@code '=x} survives the round trip instead of losing its
     * own apostrophe on import).
     */
    private static boolean needsApostrophe(String value) {
        int i = 0;
        while (i < value.length() && value.charAt(i) == '\'') {
            i++;
        }
        return i < value.length() && DANGEROUS.indexOf(value.charAt(i)) >= 0;
    }
}
