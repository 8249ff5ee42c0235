package dev.chl.cli;

import tools.jackson.databind.JsonNode;

/** The import preview as a readable table: counts per action, the first ids of each, and every invalid row. */
final class Preview {
    private Preview() {}

    static String table(JsonNode summary) {
        StringBuilder out = new StringBuilder();
        JsonNode counts = summary.path("counts");
        if (counts.isObject()) {
            out.append(String.format("%-12s %8s%n", "action", "entries"));
            for (String action : new String[] {"add", "update", "unchanged", "retire", "keep_local", "invalid"}) {
                out.append(String.format("%-12s %8d%s%n", action, counts.path(action).asLong(), examples(summary.path(action))));
            }
        }
        JsonNode invalid = summary.path("invalid_rows");
        if (invalid.isArray() && !invalid.isEmpty()) {
            out.append(String.format("%nInvalid rows (fix them in the sheet; nothing was imported):%n"));
            out.append(String.format("%-12s %5s  %-16s %s%n", "worksheet", "row", "column", "reason"));
            for (JsonNode p : invalid) {
                out.append(String.format("%-12s %5d  %-16s %s%n", p.path("worksheet").asString(), p.path("row").asInt(),
                        p.path("column").asString(), p.path("reason").asString()));
            }
            if (summary.path("invalid_rows_note").isString()) {
                out.append("(").append(summary.path("invalid_rows_note").asString()).append(")").append(System.lineSeparator());
            }
        }
        for (JsonNode w : summary.path("warnings")) {
            out.append("warning: ").append(w.asString()).append(System.lineSeparator());
        }
        if (summary.has("backup")) {
            out.append("backup taken before applying: ").append(summary.path("backup").asString()).append(System.lineSeparator());
        }
        return out.toString();
    }

    private static String examples(JsonNode ids) {
        if (!ids.isArray() || ids.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("   ");
        for (int i = 0; i < Math.min(3, ids.size()); i++) {
            b.append(i == 0 ? "" : ", ").append(ids.get(i).asString());
        }
        return ids.size() > 3 ? b.append(", …").toString() : b.toString();
    }
}
