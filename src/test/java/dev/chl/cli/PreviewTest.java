package dev.chl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The CLI's rendering of a dry run's preview is honest about the invalid rows it does not list. */
class PreviewTest {
    private static JsonNode summary(int total, int shown) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < shown; i++) {
            rows.add(Map.of("worksheet", "Experiences", "row", i + 2, "column", "title", "reason", "is required"));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("valid", false);
        summary.put("counts", Map.of("add", 0, "update", 0, "unchanged", 0, "retire", 0, "keep_local", 0, "invalid", total));
        summary.put("invalid_rows", rows);
        summary.put("invalid_rows_total", total);
        summary.put("invalid_rows_shown", shown);
        if (shown < total) {
            summary.put("invalid_rows_note", "showing the first " + shown + " of " + total + " invalid rows");
        }
        summary.put("warnings", List.of());
        return JsonMapper.builder().build().valueToTree(summary);
    }

    @Test
    void aCutListSaysHowManyRowsItLeftOut() {
        String table = Preview.table(summary(250, 200));
        assertThat(table.lines().filter(l -> l.startsWith("Experiences"))).hasSize(200);
        assertThat(table).contains("200 of 250 invalid rows");
    }

    @Test
    void aWholeListSaysNothingMore() {
        String table = Preview.table(summary(2, 2));
        assertThat(table.lines().filter(l -> l.startsWith("Experiences"))).hasSize(2);
        assertThat(table).doesNotContain(" of 2 invalid rows").doesNotContain("more");
    }
}
