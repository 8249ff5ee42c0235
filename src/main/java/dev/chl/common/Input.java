package dev.chl.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request body as a field map (from JSON, MCP arguments or a form), read field by field while collecting
 * every problem, so one {@link ValidationException} reports all bad fields at once.
 */
public final class Input {
    private final Map<String, Object> fields;
    private final List<FieldError> errors;
    /** Prepended to every field name reported: "" at the top, "parent." in a nested object. */
    private final String prefix;

    public Input(Map<String, ?> fields) {
        this(fields, new ArrayList<>(), "");
    }

    private Input(Map<String, ?> fields, List<FieldError> errors, String prefix) {
        this.fields = new LinkedHashMap<>(fields);
        this.errors = errors;
        this.prefix = prefix;
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    /** Whether the field is there with a value other than JSON null. */
    public boolean present(String field) {
        return fields.get(field) != null;
    }

    public Set<String> names() {
        return fields.keySet();
    }

    /** Reports every field not in {@code allowed}. */
    public Input allowOnly(Set<String> allowed) {
        for (String name : fields.keySet()) {
            if (!allowed.contains(name)) {
                error(name, allowed.isEmpty() ? "unknown field; this request takes no fields (send {})"
                        : "unknown field; allowed fields are " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return this;
    }

    /** A string, trimmed (see {@link Text#trim}); null when absent or JSON null, or when it cannot be stored. */
    public String string(String field) {
        String s = raw(field);
        if (s == null) {
            return null;
        }
        String problem = Text.unstorable(s);
        if (problem != null) {
            error(field, problem);
            return null;
        }
        return Text.trim(s);
    }

    /** The field's string as sent; null when absent, JSON null, or not a string (reported). */
    private String raw(String field) {
        Object value = fields.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        error(field, "must be a string");
        return null;
    }

    /** Reports {@code value} of {@code field} when it spans more than one line; {@code hint} says where the rest goes. */
    public void requireOneLine(String field, String value, String hint) {
        if (value != null && !Text.isOneLine(value)) {
            error(field, "must be one line" + (hint.isEmpty() ? "" : "; " + hint));
        }
    }

    /** A trimmed, non-empty string of at most {@code max} characters; reports and returns null otherwise. */
    public String requiredText(String field, int max) {
        if (!has(field) || fields.get(field) == null) {
            error(field, "is required");
            return null;
        }
        return optionalText(field, max, true);
    }

    /**
     * Text that is only read, never stored (a search query): what {@link Text#unstorable} refuses is replaced by spaces
     * instead; otherwise as {@link #requiredText} ({@code required}) or {@link #optionalText}.
     */
    public String readOnlyText(String field, int max, boolean required) {
        if (required && fields.get(field) == null) {
            error(field, "is required");
            return null;
        }
        String s = raw(field);
        return s == null ? null : checkedText(field, Text.trim(Text.withoutUnstorable(s)), max, required);
    }

    /** Like {@link #requiredText} but absent or null is fine; empty text becomes null when {@code emptyIsError} is false. */
    public String optionalText(String field, int max, boolean emptyIsError) {
        return checkedText(field, string(field), max, emptyIsError);
    }

    private String checkedText(String field, String value, int max, boolean emptyIsError) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty()) {
            if (emptyIsError) {
                error(field, "must not be empty");
            }
            return null;
        }
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            error(field, "is " + length + " characters; the limit is " + max);
            return null;
        }
        return value;
    }

    public Integer integer(String field, int min, int max) {
        Object value = fields.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            // Compared as a double first: longValue() wraps a number past 2^63 (18446744073709551617 became 1).
            double d = n.doubleValue();
            if (d >= min && d <= max) {
                return (int) n.longValue();
            }
            error(field, "must be between " + min + " and " + max);
            return null;
        }
        error(field, "must be a whole number");
        return null;
    }

    public Double decimal(String field, double min, double max) {
        Object value = fields.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n && n.doubleValue() >= min && n.doubleValue() <= max) {
            return n.doubleValue();
        }
        error(field, "must be a number between " + min + " and " + max);
        return null;
    }

    /**
     * {@link #integer(String, int, int)} for a setting that always has a value: {@code absent} when the field is left out
     * (or wrong: the error is kept); sent empty (null, a cleared form field) it is an error, not "keep the old value" —
     * a person who cleared the field and saw "saved" would think it was changed.
     */
    public int integer(String field, int min, int max, int absent) {
        requireValueIfPresent(field, "a whole number between " + min + " and " + max);
        Integer value = integer(field, min, max);
        return value == null ? absent : value;
    }

    /** {@link #decimal(String, double, double)} for a setting that always has a value (see {@link #integer(String, int, int, int)}). */
    public double decimal(String field, double min, double max, double absent) {
        requireValueIfPresent(field, "a number between " + min + " and " + max);
        Double value = decimal(field, min, max);
        return value == null ? absent : value;
    }

    private void requireValueIfPresent(String field, String what) {
        if (fields.containsKey(field) && fields.get(field) == null) {
            error(field, "needs a value: " + what + " (leave it out to keep the current one)");
        }
    }

    public Boolean bool(String field) {
        Object value = fields.get(field);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        error(field, "must be true or false");
        return null;
    }

    /**
     * A nested object read as its own Input, whose problems are reported here as "field.name"; null when absent or
     * JSON null (and reported when it is not an object).
     */
    @SuppressWarnings("unchecked")
    public Input object(String field) {
        Object value = fields.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return new Input((Map<String, ?>) map, errors, prefix + field + ".");
        }
        error(field, "must be an object");
        return null;
    }

    /** Reads with {@code parser}, turning its {@link ValidationException} into a collected error. */
    public <T> T parsed(String field, java.util.function.Function<String, T> parser) {
        String value = string(field);
        if (value == null) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (ValidationException e) {
            e.errors().forEach(f -> error(f.field(), f.message()));
            return null;
        }
    }

    public void error(String field, String message) {
        errors.add(new FieldError(prefix + field, message));
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    /** Throws one exception naming every bad field, if there is any. */
    public void check() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }
}
