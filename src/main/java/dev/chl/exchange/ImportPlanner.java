package dev.chl.exchange;

import dev.chl.common.FieldError;
import dev.chl.common.Text;
import dev.chl.common.Times;
import dev.chl.common.ValidationException;
import dev.chl.entries.CategoryService;
import dev.chl.entries.EntryService;
import dev.chl.entries.LibrarySeed;
import dev.chl.model.Category;
import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Section;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import dev.chl.model.WireValue;
import dev.chl.model.Worksheets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks every row of a published workbook and works out what importing it would change (DESIGN §7): the sheet's
 * rows become global/synced, local drafts the sheet lacks are kept, global synced entries it lacks are retired.
 * Rows are checked with the same rules as the API (via the entries facade).
 */
final class ImportPlanner {
    static final Pattern ID = Pattern.compile("^(EXP|MNL)-[A-Z]{3}-\\d{8}-\\d{9}(-[a-z0-9]{1,8})?$");
    private static final Set<String> TIMESTAMPS = Set.of("created_at", "updated_at", "synced_at", "exported_at");

    private final EntryService entries;

    ImportPlanner(EntryService entries) {
        this.entries = entries;
    }

    /** @param names the worksheets to read the three tables from; problems name the worksheet as the sheet does */
    ImportPlan plan(Workbook workbook, Worksheets names, Map<String, Entry> store, Map<String, Category> storeCategories, Instant now) {
        List<RowProblem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Workbook.Table table : workbook.tables()) {
            if (!names.names().contains(table.name())) {
                warnings.add("worksheet '" + table.name() + "' is not one of " + String.join(", ", names.names()) + "; ignored");
            }
        }
        Workbook.Table categoryTable = workbook.table(names.categories());
        List<Category> categories = categories(categoryTable, names.categories(), storeCategories, problems, warnings, now);
        Set<String> knownCodes = new HashSet<>(storeCategories.keySet());
        categories.forEach(c -> knownCodes.add(c.code()));

        List<Entry> adds = new ArrayList<>();
        List<Entry> updates = new ArrayList<>();
        List<Entry> unchanged = new ArrayList<>();
        Set<String> inSheet = new HashSet<>();
        int rows = 0;
        for (Kind kind : Kind.values()) {
            Workbook.Table table = workbook.table(names.of(kind));
            if (table == null) {
                // A missing tab is far more often a mistake (renamed, deleted, a partial export) than "no entries of
                // this kind", and as an empty set it would retire every published entry of the kind: refuse it. An
                // empty tab with its header row still means "none".
                boolean otherTabThere = workbook.table(names.of(kind == Kind.EXPERIENCE ? Kind.MANUAL : Kind.EXPERIENCE)) != null;
                if (otherTabThere) {
                    problems.add(new RowProblem(names.of(kind), 1, "", "the worksheet '" + names.of(kind) + "' is missing; "
                            + "a published set has it even when it holds no " + kind.plural() + " (keep its header row), "
                            + "otherwise the import would retire every published " + kind.wire()));
                }
                continue;
            }
            problems.addAll(table.problems());
            if (!checkHeader(table, Columns.of(kind), problems, warnings)) {
                continue;
            }
            Set<Integer> misshapen = misshapenRows(table);
            for (Workbook.Row row : table.rows()) {
                rows++;
                if (misshapen.contains(row.number())) {
                    // already reported by the reader (a CSV line that does not line up with the columns, a formula cell),
                    // so checking its cells would only mislead
                    String id = strip(row.get("id"));
                    if (id != null) {
                        inSheet.add(id); // not "retired" in the preview: it is in the sheet, just broken
                    }
                    continue;
                }
                Entry parsed = entry(kind, table.name(), row, knownCodes, names.categories(), inSheet, problems, now);
                if (parsed == null) {
                    continue;
                }
                Entry current = store.get(parsed.id());
                if (current == null) {
                    adds.add(parsed);
                } else if (current.kind() != kind) {
                    problems.add(new RowProblem(table.name(), row.number(), "id", "id " + parsed.id() + " belongs to a "
                            + current.kind().wire() + " in this library"));
                } else if (sameContent(current, parsed)) {
                    unchanged.add(current);
                } else {
                    updates.add(merge(current, parsed, now));
                }
            }
        }
        if (workbook.table(names.experiences()) == null && workbook.table(names.manuals()) == null) {
            // Nothing here is recognisably the published set (e.g. a sheet still named "Sheet1", or a zip of other
            // CSV files): as an empty set it would retire every published entry, so it is refused instead.
            problems.add(new RowProblem(names.experiences(), 1, "", "the workbook has neither a worksheet named '"
                    + names.experiences() + "' nor one named '" + names.manuals() + "' (it has: "
                    + String.join(", ", workbook.tables().stream().map(Workbook.Table::name).toList()) + "); name the worksheets "
                    + String.join(", ", names.names()) + (names.equals(Worksheets.DEFAULTS)
                    ? " (as CSV: categories.csv, experiences.csv, manuals.csv)"
                    : ", or change the worksheet names in Settings → Spreadsheets")));
        }
        List<Entry> retires = new ArrayList<>();
        List<String> keptLocal = new ArrayList<>();
        for (Entry e : store.values()) {
            if (inSheet.contains(e.id())) {
                continue;
            }
            if (LibrarySeed.isGuide(e.id())) {
                // The guides are never deleted (EntryService refuses it too): a sheet without one leaves it as it is.
                warnings.add("the sheet lacks the assistant guide " + e.id() + "; guides are never retired, so it stays");
            } else if (e.source() == Source.GLOBAL && e.syncStatus() == SyncStatus.SYNCED) {
                retires.add(e);
            } else {
                keptLocal.add(e.id());
            }
        }
        rows += categoryTable == null ? 0 : categoryTable.rows().size();
        return new ImportPlan(categories, adds, updates, unchanged, retires, keptLocal, problems, warnings, rows);
    }

    private static List<Category> categories(Workbook.Table table, String name, Map<String, Category> store,
                                             List<RowProblem> problems, List<String> warnings, Instant now) {
        List<Category> out = new ArrayList<>();
        if (table == null) {
            warnings.add("worksheet '" + name + "' is missing; entries must use categories this library already has");
            return out;
        }
        problems.addAll(table.problems());
        if (!checkHeader(table, Columns.CATEGORY, problems, warnings)) {
            return out;
        }
        Set<Integer> misshapen = misshapenRows(table);
        Set<String> seen = new HashSet<>();
        for (Workbook.Row row : table.rows()) {
            if (misshapen.contains(row.number())) {
                continue;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            for (String column : List.of("code", "name", "description")) {
                if (row.get(column) != null) {
                    fields.put(column, row.get(column));
                }
            }
            try {
                Instant created = instant(table.name(), row, "created_at", problems, now);
                Category c = CategoryService.validated(fields, created != null ? created
                        : store.containsKey(row.get("code")) ? store.get(row.get("code")).createdAt() : now);
                if (!seen.add(c.code())) {
                    problems.add(new RowProblem(table.name(), row.number(), "code", "category " + c.code() + " appears twice"));
                    continue;
                }
                Category current = store.get(c.code());
                if (current == null || !current.name().equals(c.name()) || !current.description().equals(c.description())) {
                    out.add(current == null ? c : new Category(c.code(), c.name(), c.description(), current.createdAt()));
                }
            } catch (ValidationException e) {
                e.errors().forEach(f -> problems.add(new RowProblem(table.name(), row.number(), f.field(), f.message())));
            }
        }
        return out;
    }

    private Entry entry(Kind kind, String sheet, Workbook.Row row, Set<String> knownCodes, String categorySheet,
                        Set<String> inSheet, List<RowProblem> problems, Instant now) {
        int before = problems.size();
        String id = strip(row.get("id")); // trimmed like every other cell: a trailing blank is no reason to refuse the row
        if (id == null) {
            problems.add(new RowProblem(sheet, row.number(), "id", "is required"));
        } else if (!ID.matcher(id).matches() || !id.startsWith(kind.idPrefix() + "-")) {
            problems.add(new RowProblem(sheet, row.number(), "id", "'" + id + "' is not " + (kind == Kind.EXPERIENCE ? "an experience" : "a manual")
                    + " id; ids look like " + kind.idPrefix() + "-ABC-20260101-120000000"));
        } else if (!inSheet.add(id)) {
            problems.add(new RowProblem(sheet, row.number(), "id", "id " + id + " appears more than once"));
        }
        for (FieldError f : entries.problems(kind, RowMapping.writableFields(kind, row))) {
            problems.add(new RowProblem(sheet, row.number(), f.field(), f.message()));
        }
        String code = strip(row.get("category_code"));
        if (code != null && !knownCodes.contains(code)) {
            problems.add(new RowProblem(sheet, row.number(), "category_code", "unknown category '" + code
                    + "'; add it to the " + categorySheet + " worksheet"));
        }
        enumCell(sheet, row, "source", Source.class, problems);
        enumCell(sheet, row, "sync_status", SyncStatus.class, problems);
        enumCell(sheet, row, "embedding_status", EmbeddingStatus.class, problems);
        Map<String, Instant> times = new HashMap<>();
        for (String column : TIMESTAMPS) {
            times.put(column, instant(sheet, row, column, problems, now));
        }
        if (problems.size() > before) {
            return null;
        }
        boolean experience = kind == Kind.EXPERIENCE;
        Instant created = times.get("created_at") != null ? times.get("created_at") : now;
        // the row passed the checks trimmed (" useful ", "ABC\t"), so it is built from the trimmed cells too
        return new Entry(id, kind, code, experience ? Section.fromWire("section", strip(row.get("section"))) : null,
                strip(row.get("title")),
                experience ? strip(row.get("playbook")) : null, experience ? strip(row.get("context")) : null,
                experience ? null : strip(row.get("content")), experience ? null : strip(row.get("summary")),
                Source.GLOBAL, SyncStatus.SYNCED, strip(row.get("author")), EmbeddingStatus.PENDING, created,
                times.get("updated_at") != null ? times.get("updated_at") : created, now, times.get("exported_at"));
    }

    /**
     * The header row must name every data column once (DESIGN §7; column order is free): a missing one would read as
     * empty in every row and clear that field library-wide, a repeated one leaves it unclear which cell holds the data.
     * Informative columns may be missing (a warning); unknown ones are ignored (a warning). False when the rows cannot be read.
     */
    private static boolean checkHeader(Workbook.Table table, List<String> expected, List<RowProblem> problems, List<String> warnings) {
        int before = problems.size();
        repeatedColumns(table, expected, problems);
        List<String> missing = expected.stream().filter(c -> !table.columns().contains(c)).toList();
        for (String column : missing) {
            if (!Columns.INFORMATIVE.contains(column)) {
                problems.add(new RowProblem(table.name(), 1, column, "column missing from the header row; add a column named '"
                        + column + "' (" + (Columns.OPTIONAL.contains(column) ? "its cells may be empty; without it every row's "
                        + column + " would be cleared" : "every row needs a " + column) + "). The columns are "
                        + String.join(", ", expected)));
            }
        }
        List<String> informative = missing.stream().filter(Columns.INFORMATIVE::contains).toList();
        if (!informative.isEmpty()) {
            warnings.add("worksheet '" + table.name() + "' has no column " + String.join(", ", informative) + "; these only "
                    + "describe the exported state, so the import sets them itself (a missing time is the import's)");
        }
        List<String> unknown = table.columns().stream().filter(c -> !c.isEmpty() && !expected.contains(c)).distinct().toList();
        if (!unknown.isEmpty()) {
            warnings.add("worksheet '" + table.name() + "': unknown columns " + String.join(", ", unknown) + " were ignored");
        }
        return problems.size() == before;
    }

    private static void repeatedColumns(Workbook.Table table, List<String> expected, List<RowProblem> problems) {
        Map<String, List<Integer>> positions = new LinkedHashMap<>();
        for (int i = 0; i < table.columns().size(); i++) {
            if (expected.contains(table.columns().get(i))) {
                positions.computeIfAbsent(table.columns().get(i), k -> new ArrayList<>()).add(i);
            }
        }
        positions.forEach((column, at) -> {
            if (at.size() > 1) {
                List<String> where = at.stream().map(ImportPlanner::position).toList();
                problems.add(new RowProblem(table.name(), 1, column, "the header row has '" + column + "' " + at.size()
                        + " times, in " + String.join(", ", where.subList(0, where.size() - 1)) + " and " + where.getLast()
                        + "; keep one of them (the import cannot tell which holds the data)"));
            }
        });
    }

    /** "column 4 (D)": the position as counted in a CSV line and as lettered in a spreadsheet. */
    static String position(int index) {
        StringBuilder letters = new StringBuilder();
        for (int n = index + 1; n > 0; n = (n - 1) / 26) {
            letters.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return "column " + (index + 1) + " (" + letters + ")";
    }

    /** Rows the reader already found misshapen (e.g. a CSV line with too few cells). */
    private static Set<Integer> misshapenRows(Workbook.Table table) {
        Set<Integer> rows = new HashSet<>();
        table.problems().forEach(p -> rows.add(p.row()));
        return rows;
    }

    private static <E extends Enum<E> & WireValue> void enumCell(String sheet, Workbook.Row row, String column, Class<E> type,
                                                                List<RowProblem> problems) {
        String value = row.get(column);
        if (value == null) {
            return;
        }
        try {
            WireValue.parse(type, column, value.strip());
        } catch (ValidationException e) {
            problems.add(new RowProblem(sheet, row.number(), column, e.errors().getFirst().message()));
        }
    }

    /** How far past now an imported time may be (clocks of the machines that wrote the sheet differ a little). */
    private static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofDays(1);

    private static Instant instant(String sheet, Workbook.Row row, String column, List<RowProblem> problems, Instant now) {
        String value = row.get(column);
        if (value == null) {
            return null;
        }
        try {
            Instant time = Instant.parse(value.strip());
            int year = time.atOffset(java.time.ZoneOffset.UTC).getYear();
            if (year < 1 || year > 9999) {
                // stored times have four-digit years: fixed width, so they sort as text
                problems.add(new RowProblem(sheet, row.number(), column, "'" + value + "' is outside the years 0001 to 9999"));
                return null;
            }
            if (time.isAfter(now.plus(CLOCK_SKEW))) {
                // It would become the entry's version: every later edit would be stamped after it (Times.nextVersion).
                problems.add(new RowProblem(sheet, row.number(), column, "'" + value + "' is in the future; the times in a "
                        + "sheet are when something happened (leave the cell empty and the import sets it)"));
                return null;
            }
            return time;
        } catch (DateTimeParseException e) {
            problems.add(new RowProblem(sheet, row.number(), column, "'" + value + "' is not an ISO-8601 UTC time like 2026-01-31T12:00:00.000Z"));
            return null;
        }
    }

    /** Same published content: the fields a curator edits. Timestamps and statuses are bookkeeping. */
    static boolean sameContent(Entry a, Entry b) {
        return Objects.equals(a.categoryCode(), b.categoryCode()) && Objects.equals(a.section(), b.section())
                && Objects.equals(a.title(), b.title()) && Objects.equals(a.playbook(), b.playbook())
                && Objects.equals(a.context(), b.context()) && Objects.equals(a.content(), b.content())
                && Objects.equals(a.summary(), b.summary()) && Objects.equals(a.author(), b.author());
    }

    /** The store's entry with the sheet's content, now global/synced; its text changed, so it needs a new vector. */
    private static Entry merge(Entry current, Entry sheet, Instant now) {
        boolean textChanged = !Objects.equals(current.title(), sheet.title()) || !Objects.equals(current.body(), sheet.body())
                || !Objects.equals(current.categoryCode(), sheet.categoryCode());
        return new Entry(current.id(), current.kind(), sheet.categoryCode(), sheet.section(), sheet.title(), sheet.playbook(),
                sheet.context(), sheet.content(), sheet.summary(), Source.GLOBAL, SyncStatus.SYNCED, sheet.author(),
                textChanged ? EmbeddingStatus.PENDING : current.embeddingStatus(), current.createdAt(),
                Times.nextVersion(current.updatedAt(), now), now, current.exportedAt());
    }

    /** Trimmed by the same rule as API input (the row passed it already); blank is null. */
    private static String strip(String s) {
        String trimmed = s == null ? "" : Text.trim(s);
        return trimmed.isEmpty() ? null : trimmed;
    }
}
