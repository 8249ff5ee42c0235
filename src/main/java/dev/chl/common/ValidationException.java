package dev.chl.common;

import java.util.List;

/** Input that breaks a rule; carries every bad field at once so callers can fix them in one go. */
public final class ValidationException extends ChlException {
    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(summary(errors));
        this.errors = List.copyOf(errors);
    }

    public ValidationException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        if (errors.size() == 1) {
            FieldError e = errors.getFirst();
            return e.field() + ": " + e.message();
        }
        return errors.size() + " fields are invalid; see errors[] for each one";
    }
}
