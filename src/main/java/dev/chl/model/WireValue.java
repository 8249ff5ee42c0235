package dev.chl.model;

import dev.chl.common.ValidationException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum constant with the lower-case name it has in JSON, SQL and spreadsheets. */
public interface WireValue {
    String wire();

    /** Parses a wire value, or names the allowed values so the caller can fix the input. */
    static <E extends Enum<E> & WireValue> E parse(Class<E> type, String field, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equals(value)) {
                return constant;
            }
        }
        throw new ValidationException(field, "'" + value + "' is not allowed; use one of " + allowed(type));
    }

    static <E extends Enum<E> & WireValue> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireValue::wire).collect(Collectors.joining(", "));
    }
}
