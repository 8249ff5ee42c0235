package dev.chl.web;

import java.util.List;
import java.util.Map;

/**
 * A dry run's preview, read from its job's result: what an apply would add, update and retire, the invalid rows, and
 * the plan's fingerprint that the apply button sends back (so it applies this preview or nothing).
 */
public record ImportPreview(long rows, boolean valid, Map<String, Object> counts, List<String> add, List<String> update,
                            List<String> retire, List<String> keepLocal, List<Map<String, Object>> invalidRows,
                            List<String> warnings, String plan, String invalidRowsNote) {

    @SuppressWarnings("unchecked")
    static ImportPreview of(Map<String, Object> result) {
        return new ImportPreview(result.get("rows") instanceof Number n ? n.longValue() : 0, Boolean.TRUE.equals(result.get("valid")),
                result.get("counts") instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of(), strings(result.get("add")),
                strings(result.get("update")), strings(result.get("retire")), strings(result.get("keep_local")),
                result.get("invalid_rows") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of(),
                strings(result.get("warnings")), result.get("plan") instanceof String p ? p : "",
                result.get("invalid_rows_note") instanceof String note ? note : null);
    }

    /** The dry run's own note when its list holds only some of the invalid rows, else null. */
    public String invalidRowsCut() {
        return invalidRowsNote;
    }

    public long count(String action) {
        return counts.get(action) instanceof Number n ? n.longValue() : 0;
    }

    /** The ids listed (at most a couple of hundred) and how many more there are. */
    public String more(String action, List<String> listed) {
        long extra = count(action) - listed.size();
        return extra > 0 ? "and " + extra + " more" : "";
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }
}
