package dev.chl.exchange;

import java.util.List;

/** The worksheets and their fixed columns (DESIGN §7). Header names match exactly; column order is free. */
public final class Columns {
    public static final String CATEGORIES = "Categories";
    public static final String EXPERIENCES = "Experiences";
    public static final String MANUALS = "Manuals";
    public static final List<String> WORKSHEETS = List.of(CATEGORIES, EXPERIENCES, MANUALS);

    public static final List<String> CATEGORY = List.of("code", "name", "description", "created_at");
    public static final List<String> EXPERIENCE = List.of("id", "category_code", "section", "title", "playbook", "context",
            "source", "sync_status", "author", "embedding_status", "created_at", "updated_at", "synced_at", "exported_at");
    public static final List<String> MANUAL = List.of("id", "category_code", "title", "content", "summary", "source",
            "sync_status", "author", "embedding_status", "created_at", "updated_at", "synced_at", "exported_at");

    private Columns() {}

    public static List<String> of(String worksheet) {
        return switch (worksheet) {
            case CATEGORIES -> CATEGORY;
            case EXPERIENCES -> EXPERIENCE;
            case MANUALS -> MANUAL;
            default -> throw new IllegalArgumentException(worksheet);
        };
    }
}
