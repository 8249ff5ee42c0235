package dev.chl.model;

import dev.chl.common.Input;
import java.time.Instant;

/** A shelf of the library, keyed by a three-letter upper-case code. */
public record Category(String code, String name, String description, Instant createdAt) {
    /** What a bad code is told, wherever a category code is read. */
    public static final String CODE_RULE = "must be exactly three upper-case letters A–Z, e.g. ARC";

    public static boolean isCode(String s) {
        return s != null && s.length() == 3 && s.chars().allMatch(c -> c >= 'A' && c <= 'Z');
    }

    /** An optional category filter read from {@code in}: null when absent or empty; reported (and null) when no code. */
    public static String filter(Input in, String field) {
        String category = in.string(field);
        if (category == null || category.isEmpty()) {
            return null;
        }
        if (!isCode(category)) {
            in.error(field, CODE_RULE);
            return null;
        }
        return category;
    }
}
