package dev.chl.exchange;

import java.util.List;
import java.util.Map;

/**
 * The one row model every target shares (Google Sheets, .xlsx, CSV): worksheets of rows keyed by column name.
 * Cells are text; an empty cell is null, never the text "null".
 */
public record Workbook(List<Table> tables) {
    /**
     * One worksheet as read or to be written. {@code columns} are the header row's names by position (a blank header
     * cell is ""), repeats included; {@code problems} are what the reader found wrong with the sheet (e.g. a CSV line
     * with more or fewer cells than the header, an .xlsx formula cell), reported by the import like any invalid row.
     */
    public record Table(String name, List<String> columns, List<Row> rows, List<RowProblem> problems) {
        public Table(String name, List<String> columns, List<Row> rows) {
            this(name, columns, rows, List.of());
        }
    }

    /** One row; {@code number} is the 1-based row number in the sheet (the header is row 1). */
    public record Row(int number, Map<String, String> cells) {
        public String get(String column) {
            String value = cells.get(column);
            return value == null || value.isEmpty() ? null : value;
        }
    }

    public Table table(String name) {
        return tables.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }
}
