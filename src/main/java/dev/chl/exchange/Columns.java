package dev.chl.exchange;

import dev.chl.model.Kind;
import dev.chl.model.Worksheets;
import java.util.List;

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
