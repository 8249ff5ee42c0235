package dev.chl.exchange;

import dev.chl.common.ValidationException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV: a zip of three UTF-8 files, {@code categories.csv}, {@code experiences.csv}, {@code manuals.csv}, separated
 * by ',' (or by ';', as Excel saves CSV in many European locales; told from the header row). Cells that a
 * spreadsheet would run as a formula (starting with = + - @) are written with a leading apostrophe, which the
 * import removes again; text that is not valid UTF-8 is refused with the file and line to fix.
 */
final class CsvFormat implements WorkbookFormat {
    static final long MAX_UNPACKED_BYTES = 512L * 1024 * 1024;
    /** Like POI's guard for .xlsx (a minimum inflate ratio of 0.01): real CSV text compresses far less than 100:1. */
    static final long MAX_INFLATE_RATIO = 100;
    /**
     * Below this an entry is never a bomb, whatever its ratio: reading it costs little, and the total stays under
     * {@link #MAX_UNPACKED_BYTES}. CHL's own exports of repetitive manuals (log excerpts) reach 170 times and more.
     */
    static final long GRACE_BYTES = 64L * 1024 * 1024;
    private static final String DANGEROUS = "=+-@";
    /** How much of the first line is looked at to tell the delimiter. */
    private static final int HEADER_PEEK = 8192;

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
        refuseZipBombs(file);
        List<Workbook.Table> tables = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            ZipEntry entry;
            boolean any = false;
            Map<String, String> fileOf = new HashMap<>();
            while ((entry = zip.getNextEntry()) != null) {
                any = true;
                String name = entry.getName();
                String worksheet = worksheetOf(name);
                if (entry.isDirectory() || worksheet == null) {
                    continue;
                }
                String other = fileOf.putIfAbsent(worksheet, name);
                if (other != null) {
                    // e.g. an old copy in a folder: taking either one silently could import the wrong version
                    throw new ValidationException("file", "the zip holds two files for the " + worksheet + " worksheet, "
                            + other + " and " + name + "; keep only the one to import and zip again");
                }
                // Parsed straight from the zip (never unpacked whole into memory); refuseZipBombs has measured it.
                tables.add(parse(worksheet, name, new EntryStream(zip)));
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

    private static Workbook.Table parse(String worksheet, String fileName, InputStream bytes) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader reader = withoutByteOrderMark(new BufferedReader(new InputStreamReader(bytes, decoder)));
             CSVParser parser = CSVFormat.RFC4180.builder().setDelimiter(delimiter(reader)).get().parse(reader)) {
            List<String> columns = new ArrayList<>();
            List<Workbook.Row> rows = new ArrayList<>();
            List<RowProblem> problems = new ArrayList<>();
            for (CSVRecord record : parser) {
                if (record.getRecordNumber() == 1) {
                    // The header row; its names are trimmed as in an .xlsx header (" author" is the author column).
                    record.forEach(name -> columns.add(dev.chl.common.Text.trim(name)));
                    continue;
                }
                if (record.stream().allMatch(String::isBlank)) {
                    continue;
                }
                int row = (int) record.getRecordNumber();
                if (record.size() != columns.size()) {
                    problems.add(cellCountProblem(worksheet, row, record.size(), columns));
                }
                Map<String, String> cells = new LinkedHashMap<>();
                for (int c = 0; c < columns.size(); c++) {
                    cells.put(columns.get(c), c < record.size() ? unneutralise(record.get(c)) : null);
                }
                rows.add(new Workbook.Row(row, cells));
            }
            return new Workbook.Table(worksheet, columns, rows, problems);
        } catch (CharacterCodingException e) {
            throw notUtf8(fileName);
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw notUtf8(fileName);
            }
            if (e.getCause() instanceof CSVException) {
                throw notCsv(fileName, e.getCause());
            }
            throw new ValidationException("file", fileName + " could not be read from the zip (" + e.getCause().getMessage() + ")");
        } catch (CSVException | IllegalArgumentException e) {
            throw notCsv(fileName, e);
        }
    }

    private static ValidationException notCsv(String fileName, Exception e) {
        return new ValidationException("file", fileName + " is not valid CSV (" + e.getMessage() + ")");
    }

    /**
     * Excel in many European locales (de, fr, it, es, nl) saves "CSV" separated by ';'. The header row tells which: CHL's
     * column names hold neither character, so a header with ';' and no ',' is a ';' file (read as ',' it would be one
     * column named "code;name;…").
     */
    private static char delimiter(BufferedReader reader) throws IOException {
        reader.mark(HEADER_PEEK);
        StringBuilder header = new StringBuilder();
        for (int c; header.length() < HEADER_PEEK && (c = reader.read()) >= 0 && c != '\n' && c != '\r'; ) {
            header.append((char) c);
        }
        reader.reset();
        return header.indexOf(",") < 0 && header.indexOf(";") >= 0 ? ';' : ',';
    }

    /**
     * A line whose cells do not line up with the header: read by position, a missing cell would empty its column and
     * an extra one would shift nothing into place, so the row is refused instead of guessed at.
     */
    private static RowProblem cellCountProblem(String worksheet, int row, int cells, List<String> columns) {
        String counted = "the line has " + cells + " cells but the header has " + columns.size() + " columns; ";
        if (cells < columns.size()) {
            return new RowProblem(worksheet, row, columns.get(cells), counted + "give every column a cell, even an empty one "
                    + "(is the line cut short, or broken by a line break outside quotes?)");
        }
        return new RowProblem(worksheet, row, "", counted + "put text that holds a comma in double quotes, and remove cells "
                + "beyond the last column");
    }

    private static ValidationException notUtf8(String fileName) {
        return new ValidationException("file", fileName + " is not UTF-8 text; save it as CSV UTF-8 and zip it again");
    }

    /** Excel's "CSV UTF-8" starts the file with a byte order mark; it is not part of the first column's name. */
    private static BufferedReader withoutByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    /**
     * A first pass that inflates every entry without keeping a byte, before any row is built. An entry is refused when
     * its whole inflated size is more than {@link #MAX_INFLATE_RATIO} times its whole compressed size (past a grace
     * size), and the zip when its entries together pass {@link #MAX_UNPACKED_BYTES}. The ratio is the entry's overall
     * one: a running ratio (bytes inflated so far against compressed bytes read so far) refused CHL's own exports, whose
     * repetitive stretches inflate far more than the file as a whole. A bomb still stops early, without memory: no entry
     * can have more compressed bytes than the file, so inflating past {@code MAX_INFLATE_RATIO} times the file's size
     * is refused at once. Rows are kept in memory by the second pass, so they must never come from a bomb.
     */
    private static void refuseZipBombs(Path file) throws IOException {
        long fileSize = Files.size(file);
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                long inflated = 0;
                for (int n; (n = zip.read(buffer)) > 0; ) {
                    inflated += n;
                    total += n;
                    if (total > MAX_UNPACKED_BYTES) {
                        throw new ValidationException("file", "the CSV files unpack to more than " + (MAX_UNPACKED_BYTES >> 20)
                                + " MB; is it a zip bomb? Split the workbook");
                    }
                    if (inflated > GRACE_BYTES && inflated > fileSize * MAX_INFLATE_RATIO) {
                        throw bomb(entry.getName(), "more than " + size(inflated) + " from a zip of " + size(fileSize));
                    }
                }
                // Known once the entry is read to its end (ZipInputStream checks it against the bytes it inflated).
                long compressed = Math.max(1, entry.getCompressedSize());
                if (inflated > GRACE_BYTES && inflated > compressed * MAX_INFLATE_RATIO) {
                    throw bomb(entry.getName(), size(inflated) + " from " + size(compressed) + " compressed, "
                            + inflated / compressed + " times");
                }
            }
        } catch (ZipException e) {
            throw new ValidationException("file", "the upload is not a readable zip (" + e.getMessage() + ")");
        }
    }

    private static ValidationException bomb(String name, String figures) {
        return new ValidationException("file", name + " unpacks to " + figures + "; more than " + MAX_INFLATE_RATIO + " times its "
                + "compressed size is refused as a zip bomb. Zip the CSV files again with ordinary compression");
    }

    private static String size(long bytes) {
        return bytes < 1 << 20 ? (bytes + 1023) / 1024 + " KB" : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    /** The zip's current entry for the parser, which closes what it reads: the zip stays open for the next entry. */
    private static final class EntryStream extends FilterInputStream {
        EntryStream(ZipInputStream zip) {
            super(zip);
        }

        @Override
        public void close() {
            // the zip stream stays open for the next entry
        }
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
