package dev.chl.exchange;

import dev.chl.common.Times;
import dev.chl.model.Category;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import java.util.LinkedHashMap;
import java.util.Map;

/** Entries and categories as worksheet rows (DESIGN §7). */
final class RowMapping {
    private RowMapping() {}

    static Map<String, String> row(Category c) {
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put("code", c.code());
        cells.put("name", c.name());
        cells.put("description", emptyToNull(c.description()));
        cells.put("created_at", Times.format(c.createdAt()));
        return cells;
    }

    static Map<String, String> row(Entry e) {
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put("id", e.id());
        cells.put("category_code", e.categoryCode());
        if (e.kind() == Kind.EXPERIENCE) {
            cells.put("section", e.section().wire());
            cells.put("title", e.title());
            cells.put("playbook", e.playbook());
            cells.put("context", e.context());
        } else {
            cells.put("title", e.title());
            cells.put("content", e.content());
            cells.put("summary", e.summary());
        }
        cells.put("source", e.source().wire());
        cells.put("sync_status", e.syncStatus().wire());
        cells.put("author", e.author());
        cells.put("embedding_status", e.embeddingStatus().wire());
        cells.put("created_at", Times.format(e.createdAt()));
        cells.put("updated_at", Times.format(e.updatedAt()));
        cells.put("synced_at", Times.format(e.syncedAt()));
        cells.put("exported_at", Times.format(e.exportedAt()));
        return cells;
    }

    /** The fields the entry rules check, from a row (empty cells absent). */
    static Map<String, Object> writableFields(Kind kind, Workbook.Row row) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String column : kind == Kind.EXPERIENCE
                ? new String[] {"category_code", "section", "title", "playbook", "context", "author"}
                : new String[] {"category_code", "title", "content", "summary", "author"}) {
            String value = row.get(column);
            if (value != null) {
                fields.put(column, value);
            }
        }
        return fields;
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
