package dev.chl.exchange;

import dev.chl.model.Kind;
import dev.chl.model.Worksheets;
import java.util.List;
import java.util.Set;

/**
 * The worksheets and their fixed columns (DESIGN §7). Header names match exactly; column order is free. The names
 * here are those of CHL's own files; a Google spreadsheet may use others ({@link Worksheets}, the sheets settings).
 */
public final class Columns {
    public static final String CATEGORIES = Worksheets.DEFAULTS.categories();
    public static final String EXPERIENCES = Worksheets.DEFAULTS.experiences();
    public static final String MANUALS = Worksheets.DEFAULTS.manuals();
    public static final List<String> WORKSHEETS = Worksheets.DEFAULTS.names();

    public static final List<String> CATEGORY = List.of("code", "name", "description", "created_at");
    public static final List<String> EXPERIENCE = List.of("id", "category_code", "section", "title", "playbook", "context",
            "source", "sync_status", "author", "embedding_status", "created_at", "updated_at", "synced_at", "exported_at");
    public static final List<String> MANUAL = List.of("id", "category_code", "title", "content", "summary", "source",
            "sync_status", "author", "embedding_status", "created_at", "updated_at", "synced_at", "exported_at");

    /**
     * Columns that only describe a row's state in the library it was exported from: the import sets these itself (a
     * time it does not find is the import's), so a sheet may leave them out, with a warning. Every other column
     * carries data: without it each row would read as empty there, so it must be in the header row.
     */
    public static final Set<String> INFORMATIVE = Set.of("source", "sync_status", "embedding_status", "created_at",
            "updated_at", "synced_at", "exported_at");
    /** The data columns whose cells may be empty (the others need a value in every row). */
    public static final Set<String> OPTIONAL = Set.of("context", "summary", "author", "description");

    private Columns() {}

    public static List<String> of(Kind kind) {
        return kind == Kind.EXPERIENCE ? EXPERIENCE : MANUAL;
    }

    /** The columns of one of the default-named worksheets. */
    public static List<String> of(String worksheet) {
        if (worksheet.equals(CATEGORIES)) {
            return CATEGORY;
        }
        if (worksheet.equals(EXPERIENCES)) {
            return EXPERIENCE;
        }
        if (worksheet.equals(MANUALS)) {
            return MANUAL;
        }
        throw new IllegalArgumentException(worksheet);
    }
}
