package dev.chl.exchange;

import java.util.List;
import java.util.Map;

/**
 * The one row model every target shares (Google Sheets, .xlsx, CSV): worksheets of rows keyed by column name.
 * Cells are text; an empty cell is null, never the text "null".
 */
public record Workbook(List<Table> tables) {
    /** One worksheet as read or to be written; {@code columns} in their sheet order. */
    public record Table(String name, List<String> columns, List<Row> rows) {}

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
