package dev.chl.bench;

import dev.chl.exchange.Columns;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import tools.jackson.databind.JsonNode;

/**
 * A published workbook of N experiences built from the shared benchmark corpus (cycled, titles made unique, every
 * third row with a context), in the DESIGN §7 layout, written row by row with POI's streaming writer — inline strings,
 * as CHL's own export writes them — so generating 100,000 rows needs little heap.
 */
final class BenchWorkbook {
    private static final String[] SECTIONS = {"useful", "harmful", "contextual"};

    private BenchWorkbook() {}

    static Path write(Path file, int n) throws Exception {
        List<JsonNode> items = BenchData.items();
        Set<String> codes = new LinkedHashSet<>();
        items.forEach(i -> codes.add(i.path("category").asString()));
        try (SXSSFWorkbook book = new SXSSFWorkbook(200); OutputStream out = Files.newOutputStream(file)) {
            book.setCompressTempFiles(true);
            Sheet categories = table(book, Columns.CATEGORIES, Columns.CATEGORY);
            int r = 1;
            for (String code : codes) {
                cells(categories.createRow(r++), Columns.CATEGORY, Map.of("code", code, "name", "Category " + code,
                        "description", "Benchmark shelf " + code, "created_at", "2026-01-01T00:00:00.000Z"));
            }
            Sheet experiences = table(book, Columns.EXPERIENCES, Columns.EXPERIENCE);
            for (int i = 0; i < n; i++) {
                cells(experiences.createRow(i + 1), Columns.EXPERIENCE, experience(items.get(i % items.size()), i, items.size()));
            }
            table(book, Columns.MANUALS, Columns.MANUAL);
            book.write(out);
            book.dispose();
        }
        return file;
    }

    private static Map<String, String> experience(JsonNode item, int i, int corpus) {
        String code = item.path("category").asString();
        String title = item.path("title").asString();
        String at = "2026-01-01T00:00:00.000Z";
        var row = new java.util.HashMap<String, String>();
        row.put("id", String.format(Locale.ROOT, "EXP-%s-20260101-%09d", code, i));
        row.put("category_code", code);
        row.put("section", SECTIONS[i % SECTIONS.length]);
        row.put("title", i < corpus ? title : (title.length() > 110 ? title.substring(0, 110) : title) + " #" + (i / corpus));
        row.put("playbook", item.path("body").asString());
        row.put("context", i % 3 == 0 ? "Applies to services that " + code.toLowerCase(Locale.ROOT) + " owns" : null);
        row.put("source", "global");
        row.put("sync_status", "synced");
        row.put("author", "curator-" + (i % 7));
        row.put("embedding_status", "embedded");
        row.put("created_at", at);
        row.put("updated_at", at);
        row.put("synced_at", at);
        return row;
    }

    private static Sheet table(SXSSFWorkbook book, String name, List<String> columns) {
        Sheet sheet = book.createSheet(name);
        Row header = sheet.createRow(0);
        for (int c = 0; c < columns.size(); c++) {
            header.createCell(c).setCellValue(columns.get(c));
        }
        return sheet;
    }

    private static void cells(Row row, List<String> columns, Map<String, String> values) {
        for (int c = 0; c < columns.size(); c++) {
            String value = values.get(columns.get(c));
            if (value != null) {
                row.createCell(c).setCellValue(value);
            }
        }
    }
}
