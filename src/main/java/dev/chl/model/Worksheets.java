package dev.chl.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worksheet (tab) names of a workbook's three tables (DESIGN §7). Files always use the defaults; the Google
 * spreadsheets may use other names (the sheets settings). A name left null is its default, so settings stored before
 * names were configurable read as the defaults.
 */
public record Worksheets(String categories, String experiences, String manuals) {
    private static final String CATEGORIES = "Categories";
    private static final String EXPERIENCES = "Experiences";
    private static final String MANUALS = "Manuals";
    public static final Worksheets DEFAULTS = new Worksheets(CATEGORIES, EXPERIENCES, MANUALS);
    /** The tables' keys, as in the settings' {@code worksheets} object. */
    public static final List<String> TABLES = List.of("categories", "experiences", "manuals");

    public Worksheets {
        categories = categories == null ? CATEGORIES : categories;
        experiences = experiences == null ? EXPERIENCES : experiences;
        manuals = manuals == null ? MANUALS : manuals;
    }

    /** From names keyed by table ({@link #TABLES}); a missing key is its default. */
    public static Worksheets of(Map<String, String> byTable) {
        return new Worksheets(byTable.get("categories"), byTable.get("experiences"), byTable.get("manuals"));
    }

    /** The names keyed by table, in {@link #TABLES} order. */
    public Map<String, String> byTable() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("categories", categories);
        names.put("experiences", experiences);
        names.put("manuals", manuals);
        return names;
    }

    /** The worksheet of one kind of entry. */
    public String of(Kind kind) {
        return kind == Kind.EXPERIENCE ? experiences : manuals;
    }

    public List<String> names() {
        return List.of(categories, experiences, manuals);
    }
}
