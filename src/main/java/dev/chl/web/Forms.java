package dev.chl.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns a posted form into the field map the services validate, so a form and a JSON request meet the same rules.
 * Blank fields become null; fields the service expects as numbers are passed as numbers when they read as one (a
 * field that does not is passed as typed, and the service's own message says what to write instead).
 */
final class Forms {
    private Forms() {}

    static Map<String, Object> fields(Context ctx, Set<String> allowed, Set<String> numeric) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name : allowed) {
            String value = ctx.formParam(name);
            if (value == null) {
                continue;
            }
            String text = dev.chl.common.Text.trim(value);
            if (text.isEmpty()) {
                fields.put(name, null);
            } else if (numeric.contains(name)) {
                fields.put(name, number(text));
            } else {
                fields.put(name, value.replace("\r\n", "\n"));
            }
        }
        return fields;
    }

    static Map<String, Object> fields(Context ctx, Set<String> allowed) {
        return fields(ctx, allowed, Set.of());
    }

    /** A query parameter, stripped; blank or absent is null (an empty filter box means "no filter"). */
    static String query(Context ctx, String name) {
        String value = ctx.queryParam(name);
        String text = value == null ? "" : dev.chl.common.Text.trim(value);
        return text.isEmpty() ? null : text;
    }

    private static Object number(String text) {
        try {
            // Any size: 99999999999999999999 is a whole number too, and the service then says it is out of range.
            return new java.math.BigDecimal(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
