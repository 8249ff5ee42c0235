package dev.chl.exchange;

import dev.chl.common.Text;
import dev.chl.common.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.poi.ooxml.POIXMLException;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.NotOfficeXmlFileException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.apache.poi.xssf.usermodel.XSSFRelation;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.AttributesImpl;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * .xlsx with Apache POI, streaming both ways: rows are written through a sliding window (SXSSF) and read with the
 * SAX event API, so 100,000 rows never sit in memory as a workbook object model. Every cell is written as text; a
 * formula cell in an uploaded file is an invalid row (never evaluated, never read as its text). POI's zip guards
 * (inflate ratio, entry size) reject zip bombs.
 */
final class XlsxFormat implements WorkbookFormat {
    static final long MAX_ENTRY_BYTES = 512L * 1024 * 1024;
    /** An underscore that starts what a reader would decode as an escaped character (hex digits of either case). */
    private static final Pattern ESCAPE_LIKE = Pattern.compile("_(?=x[0-9A-Fa-f]{4}_)");

    static {
        ZipSecureFile.setMinInflateRatio(0.01);
        ZipSecureFile.setMaxEntrySize(MAX_ENTRY_BYTES);
        // The ratio is checked only past this size, as for CSV: CHL's own export of repetitive manuals inflates more
        // than 100 times, and the entry size limit still stops a bomb.
        ZipSecureFile.setGraceEntrySize(CsvFormat.GRACE_BYTES);
    }

    @Override
    public String extension() {
        return "xlsx";
    }

    @Override
    public String contentType() {
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }

    @Override
    public void write(Workbook workbook, OutputStream out) throws IOException {
        checkCellLengths(workbook);
        try (SXSSFWorkbook book = new SXSSFWorkbook(200)) {
            book.setCompressTempFiles(true);
            for (Workbook.Table table : workbook.tables()) {
                SXSSFSheet sheet = book.createSheet(table.name());
                var header = sheet.createRow(0);
                for (int c = 0; c < table.columns().size(); c++) {
                    header.createCell(c).setCellValue(escaped(table.columns().get(c)));
                }
                int r = 1;
                for (Workbook.Row row : table.rows()) {
                    var line = sheet.createRow(r++);
                    for (int c = 0; c < table.columns().size(); c++) {
                        String value = row.cells().get(table.columns().get(c));
                        if (value != null) {
                            line.createCell(c).setCellValue(escaped(value));
                        }
                    }
                }
            }
            book.write(out);
            book.dispose();
        }
    }

    /**
     * OOXML writes a character as {@code _xHHHH_}, and readers (POI, Excel) decode every such sequence in cell text. Text
     * that merely contains one (a literal {@code _x0041_}) must have it escaped, or it comes back as "A": the escape
     * for its leading underscore is {@code _x005F_}. Each underscore that starts such a sequence is escaped, so
     * overlapping ones ({@code _x0041_x0042_}) survive too.
     */
    static String escaped(String text) {
        return text.indexOf('_') < 0 ? text : ESCAPE_LIKE.matcher(text).replaceAll("_x005F_");
    }

    /**
     * An .xlsx cell holds at most 32,767 characters, less than a manual's content may have: such a library cannot be
     * written as .xlsx without losing text (and importing a cut file back would overwrite the full text), so the
     * export is refused up front, naming the entry. POI checks the limit on the text as written, after {@link #escaped},
     * so that is the length compared and reported.
     */
    private static void checkCellLengths(Workbook workbook) {
        int max = SpreadsheetVersion.EXCEL2007.getMaxTextLength();
        for (Workbook.Table table : workbook.tables()) {
            for (Workbook.Row row : table.rows()) {
                for (var cell : row.cells().entrySet()) {
                    String text = cell.getValue();
                    int written = text == null ? 0 : escaped(text).length();
                    if (written <= max) {
                        continue;
                    }
                    String length = written == text.length() ? written + " characters"
                            : written + " characters as written to the file (" + text.length() + " as text: each literal "
                            + "_xHHHH_ in it is written as _x005F_xHHHH_, or readers would decode it)";
                    String id = row.cells().getOrDefault("id", row.cells().get("code"));
                    throw new ValidationException("target", "the " + cell.getKey() + " of " + id + " (worksheet " + table.name()
                            + ", row " + row.number() + ") has " + length + ", more than an .xlsx cell holds (" + max
                            + "); export as csv instead");
                }
            }
        }
    }

    @Override
    public Workbook read(Path file) throws IOException {
        try (InputStream head = Files.newInputStream(file)) {
            byte[] magic = head.readNBytes(4);
            if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) {
                throw new ValidationException("file", "this is not an .xlsx workbook (an .xlsx file is a zip); export it from "
                        + "your spreadsheet as Excel (.xlsx)");
            }
        }
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            if (pkg.isStrictOoxmlFormat()) {
                throw new ValidationException("file", "the workbook was saved as \"Strict Open XML Spreadsheet\", which CHL cannot "
                        + "read; save it as \"Excel Workbook (.xlsx)\" and upload that");
            }
            XSSFReader reader = new XSSFReader(pkg);
            // false: phonetic runs (furigana) are the reading of the text, not part of it (Excel's LEN skips them too)
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg, false);
            StylesTable styles = styles(reader);
            List<Workbook.Table> tables = new ArrayList<>();
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            while (sheets.hasNext()) {
                try (InputStream sheet = sheets.next()) {
                    String name = sheets.getSheetName();
                    SheetCollector collector = new SheetCollector(name);
                    XMLReader parser = new CellContent(new ImpliedReferences(XMLHelper.newXMLReader()), collector::formula);
                    // Cached results, not formula text: a formula cell is refused anyway (CellContent); its cached value
                    // only serves to recognise the row's id, so the entry is not previewed as retired.
                    parser.setContentHandler(new XSSFSheetXMLHandler(styles, null, strings, collector, new CellFormatter(), false));
                    parser.parse(new InputSource(sheet));
                    tables.add(collector.table());
                }
            }
            return new Workbook(tables);
        } catch (NotOfficeXmlFileException | InvalidFormatException e) {
            throw new ValidationException("file", "this zip is not an .xlsx workbook (" + detail(e) + ")");
        } catch (OpenXML4JException | SAXException | ParserConfigurationException | IllegalArgumentException | POIXMLException e) {
            // IllegalArgumentException: a row or cell reference that is no reference (r="x"); POIXMLException: a damaged
            // workbook.xml or _rels/.rels (no core document)
            throw damaged(e);
        } catch (IllegalStateException | org.apache.poi.util.RecordFormatException e) {
            // POI's zip-bomb and size guards surface as these (and a shared string index past the table's end)
            throw new ValidationException("file", "the workbook was refused: " + detail(e));
        } catch (IOException e) {
            // ... or, while a sheet streams, as an IOException ("Zip bomb detected! ...", "... exceeds the max entry size")
            String message = String.valueOf(e.getMessage());
            if (message.contains("Zip bomb") || message.contains("max entry size") || message.contains("Max entry size")) {
                throw new ValidationException("file", "the workbook was refused: " + detail(e));
            }
            throw e;
        }
    }

    /**
     * The styles part, parsed. POI reports a styles.xml it cannot parse as a bare IOException carrying the parser's text
     * (the XmlException cause is dropped): when the part's bytes read fine, it was their content that failed, not the
     * disk.
     */
    private static StylesTable styles(XSSFReader reader) throws IOException, InvalidFormatException {
        try {
            return reader.getStylesTable();
        } catch (IOException e) {
            try (InputStream bytes = reader.getStylesData()) {
                bytes.transferTo(OutputStream.nullOutputStream());
            }
            throw damaged(e);
        }
    }

    private static ValidationException damaged(Exception e) {
        return new ValidationException("file", "the workbook is damaged or not a spreadsheet (" + detail(e) + ")");
    }

    /**
     * An exception's text fit for a job's error: POI's can hold a whole part of the file (a shared string index out of
     * range lists every shared string, megabytes), so its first line, at most 300 characters.
     */
    static String detail(Exception e) {
        String message = String.valueOf(e.getMessage());
        return Text.preview(message.lines().findFirst().orElse(""), 300);
    }

    /**
     * Fills in the optional {@code r} of rows and cells before POI reads them, as Excel does: a row without one is the
     * row after the previous row, a cell without one is the column after the previous cell of its row. (POI numbers such
     * rows itself, but hands such cells on with no reference at all.)
     */
    static final class ImpliedReferences extends XMLFilterImpl {
        private int row; // 1-based number of the current row
        private int column = -1; // 0-based column of the previous cell in it

        ImpliedReferences(XMLReader parent) {
            super(parent);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
            boolean sheetXml = spreadsheetMl(uri);
            if (sheetXml && localName.equals("row")) {
                String r = attributes.getValue("r");
                row = r == null ? row + 1 : Integer.parseInt(r);
                column = -1;
                attributes = r == null ? with(attributes, "r", Integer.toString(row)) : attributes;
            } else if (sheetXml && localName.equals("c")) {
                String r = attributes.getValue("r");
                column = r == null ? column + 1 : new CellReference(r).getCol();
                attributes = r == null ? with(attributes, "r", new CellReference(row - 1, column).formatAsString(false)) : attributes;
            }
            super.startElement(uri, localName, qName, attributes);
        }

        private static Attributes with(Attributes attributes, String name, String value) {
            AttributesImpl added = new AttributesImpl(attributes);
            added.addAttribute("", name, name, "CDATA", value);
            return added;
        }
    }

    private static boolean spreadsheetMl(String uri) {
        return uri == null || uri.isEmpty() || uri.equals(XSSFRelation.NS_SPREADSHEETML);
    }

    /**
     * Shows POI's handler only a cell's text, and tells which cells hold a formula. Phonetic runs ({@code rPh}: the
     * reading of Japanese text, furigana) sit beside an inline string's text and are not part of it, but POI would
     * append them. A formula cell ({@code <f>}, also a shared formula's follower {@code <f t="shared" si="0"/>}, which
     * has no formula text of its own, or a {@code t="str"} formula result) holds no text a person typed: read as
     * text it would lose its "=" or, for a follower, read as empty and clear the field.
     */
    static final class CellContent extends XMLFilterImpl {
        private final Consumer<String> formulaCells;
        private int phoneticDepth; // > 0 inside an rPh element, whose events are dropped
        private String cell; // reference of the open <c>
        private boolean formula;

        CellContent(XMLReader parent, Consumer<String> formulaCells) {
            super(parent);
            this.formulaCells = formulaCells;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
            if (phoneticDepth > 0 || spreadsheetMl(uri) && localName.equals("rPh")) {
                phoneticDepth++;
                return;
            }
            if (spreadsheetMl(uri) && localName.equals("c")) {
                cell = attributes.getValue("r");
                formula = "str".equals(attributes.getValue("t"));
            } else if (spreadsheetMl(uri) && localName.equals("f")) {
                formula = true;
            }
            super.startElement(uri, localName, qName, attributes);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            if (phoneticDepth > 0) {
                phoneticDepth--;
                return;
            }
            super.endElement(uri, localName, qName);
            if (spreadsheetMl(uri) && localName.equals("c") && formula) {
                formulaCells.accept(cell);
                formula = false;
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (phoneticDepth == 0) {
                super.characters(ch, start, length);
            }
        }
    }

    /**
     * How a number cell reads as text. POI's General format imitates a narrow Excel column (ten significant digits, then
     * scientific notation: 1767225600123 reads 1.76723E+12); what a person typed is the full stored value, as Excel's
     * formula bar and Google Sheets show it. A date reads as an ISO date (a US "1/2/26" means another day to others);
     * other explicit formats (percent, currency) read as displayed.
     */
    static final class CellFormatter extends DataFormatter {
        private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

        CellFormatter() {
            super(Locale.ROOT);
        }

        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString, boolean use1904Windowing) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                LocalDateTime time = DateUtil.getLocalDateTime(value, use1904Windowing, true);
                return time.toLocalTime().equals(LocalTime.MIDNIGHT) ? time.toLocalDate().toString() : time.format(DATE_TIME);
            }
            if (formatIndex == 0 || "General".equalsIgnoreCase(formatString) || "@".equals(formatString)) {
                return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
            }
            return super.formatRawCellContents(value, formatIndex, formatString, use1904Windowing);
        }
    }

    /** Collects one sheet's rows; the first row is the header. */
    private static final class SheetCollector implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final String name;
        private final Map<Integer, String> headerByColumn = new HashMap<>();
        private final List<String> columns = new ArrayList<>();
        private final List<Workbook.Row> rows = new ArrayList<>();
        private final List<RowProblem> problems = new ArrayList<>();
        /** The columns the import reads from this worksheet (none from a worksheet it ignores). */
        private final List<String> read;
        private Map<String, String> current;
        private int currentRow;

        SheetCollector(String name) {
            this.name = name;
            this.read = Columns.WORKSHEETS.contains(name) ? Columns.of(name) : List.of();
        }

        /**
         * A formula cell the import would read is an invalid row: CHL takes text, and neither a formula's result nor its
         * text is what the cell says (a helper formula in a column the import ignores is left alone).
         */
        void formula(String reference) {
            int column = new CellReference(reference).getCol(); // a short: boxed as Short it would match no Integer key
            String header = headerByColumn.get(column);
            if (currentRow == 0 || header != null && read.contains(header)) {
                problems.add(new RowProblem(name, currentRow + 1, currentRow == 0 ? "" : header, (currentRow == 0 ? "header " : "")
                        + "cell " + reference + " holds a formula; CHL imports text, not formulas: replace it with its value (copy "
                        + "it, then Paste Special → Values), or, for text that begins with =, start it with an apostrophe ('=…)"));
            }
        }

        @Override
        public void startRow(int rowNum) {
            currentRow = rowNum;
            current = new LinkedHashMap<>();
        }

        @Override
        public void endRow(int rowNum) {
            if (rowNum == 0) {
                return;
            }
            boolean blank = current.values().stream().allMatch(v -> v == null || v.isBlank());
            if (!blank) {
                rows.add(new Workbook.Row(rowNum + 1, current));
            }
        }

        @Override
        public void cell(String reference, String value, XSSFComment comment) {
            int column = new CellReference(reference).getCol();
            if (currentRow == 0) {
                String header = value == null ? "" : dev.chl.common.Text.trim(value);
                headerByColumn.put(column, header);
                while (columns.size() < column) {
                    columns.add(""); // a blank header cell: the names stay at their positions
                }
                columns.add(header);
            } else {
                String header = headerByColumn.get(column);
                if (header != null && !header.isEmpty()) {
                    current.put(header, value);
                }
            }
        }

        Workbook.Table table() {
            return new Workbook.Table(name, columns, rows, problems);
        }
    }
}
