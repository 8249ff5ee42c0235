package dev.chl.exchange;

import dev.chl.common.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.NotOfficeXmlFileException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * .xlsx with Apache POI, streaming both ways: rows are written through a sliding window (SXSSF) and read with the
 * SAX event API, so 100,000 rows never sit in memory as a workbook object model. Every cell is written as text;
 * formulas in an uploaded file are read as their text and never evaluated. POI's zip guards (inflate ratio, entry
 * size) reject zip bombs.
 */
final class XlsxFormat implements WorkbookFormat {
    static final long MAX_ENTRY_BYTES = 512L * 1024 * 1024;

    static {
        ZipSecureFile.setMinInflateRatio(0.01);
        ZipSecureFile.setMaxEntrySize(MAX_ENTRY_BYTES);
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
                    header.createCell(c).setCellValue(table.columns().get(c));
                }
                int r = 1;
                for (Workbook.Row row : table.rows()) {
                    var line = sheet.createRow(r++);
                    for (int c = 0; c < table.columns().size(); c++) {
                        String value = row.cells().get(table.columns().get(c));
                        if (value != null) {
                            line.createCell(c).setCellValue(value);
                        }
                    }
                }
            }
            book.write(out);
            book.dispose();
        }
    }

    /**
     * An .xlsx cell holds at most 32,767 characters, less than a manual's content may have: such a library cannot be
     * written as .xlsx without losing text (and importing a cut file back would overwrite the full text), so the
     * export is refused up front, naming the entry.
     */
    private static void checkCellLengths(Workbook workbook) {
        int max = SpreadsheetVersion.EXCEL2007.getMaxTextLength();
        for (Workbook.Table table : workbook.tables()) {
            for (Workbook.Row row : table.rows()) {
                for (var cell : row.cells().entrySet()) {
                    if (cell.getValue() != null && cell.getValue().length() > max) {
                        String id = row.cells().getOrDefault("id", row.cells().get("code"));
                        throw new ValidationException("target", "the " + cell.getKey() + " of " + id + " (worksheet " + table.name()
                                + ", row " + row.number() + ") has " + cell.getValue().length() + " characters, more than an .xlsx "
                                + "cell holds (" + max + "); export as csv instead");
                    }
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
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg);
            List<Workbook.Table> tables = new ArrayList<>();
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            while (sheets.hasNext()) {
                try (InputStream sheet = sheets.next()) {
                    String name = sheets.getSheetName();
                    SheetCollector collector = new SheetCollector(name);
                    XMLReader parser = XMLHelper.newXMLReader();
                    // formulasNotResults: a formula cell yields its formula text, never a computed value.
                    parser.setContentHandler(new XSSFSheetXMLHandler(reader.getStylesTable(), null, strings, collector,
                            new DataFormatter(), true));
                    parser.parse(new InputSource(sheet));
                    tables.add(collector.table());
                }
            }
            return new Workbook(tables);
        } catch (NotOfficeXmlFileException | InvalidFormatException e) {
            throw new ValidationException("file", "this zip is not an .xlsx workbook (" + e.getMessage() + ")");
        } catch (OpenXML4JException | SAXException | ParserConfigurationException e) {
            throw new ValidationException("file", "the workbook is damaged or not a spreadsheet (" + e.getMessage() + ")");
        } catch (IllegalStateException | org.apache.poi.util.RecordFormatException e) {
            // POI's zip-bomb and size guards surface as these
            throw new ValidationException("file", "the workbook was refused: " + e.getMessage());
        } catch (IOException e) {
            // ... or, while a sheet streams, as an IOException ("Zip bomb detected! ...", "... exceeds the max entry size")
            String message = String.valueOf(e.getMessage());
            if (message.contains("Zip bomb") || message.contains("max entry size") || message.contains("Max entry size")) {
                throw new ValidationException("file", "the workbook was refused: " + message.lines().findFirst().orElse(message));
            }
            throw e;
        }
    }

    /** Collects one sheet's rows; the first row is the header. */
    private static final class SheetCollector implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final String name;
        private final Map<Integer, String> headerByColumn = new HashMap<>();
        private final List<String> columns = new ArrayList<>();
        private final List<Workbook.Row> rows = new ArrayList<>();
        private Map<String, String> current;
        private int currentRow;

        SheetCollector(String name) {
            this.name = name;
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
                String header = value == null ? "" : value.strip();
                headerByColumn.put(column, header);
                columns.add(header);
            } else {
                String header = headerByColumn.get(column);
                if (header != null && !header.isEmpty()) {
                    current.put(header, value);
                }
            }
        }

        Workbook.Table table() {
            return new Workbook.Table(name, columns, rows);
        }
    }
}
