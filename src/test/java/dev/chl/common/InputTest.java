package dev.chl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputTest {
    private static List<String> fields(Input in) {
        try {
            in.check();
            return List.of();
        } catch (ValidationException e) {
            return e.errors().stream().map(FieldError::field).toList();
        }
    }

    @Test
    void requiredTextTrimsAndChecksLengthInCodePoints() {
        Input in = new Input(Map.of("a", "  hello  ", "b", "😀".repeat(3), "c", "x".repeat(4)));
        assertThat(in.requiredText("a", 5)).isEqualTo("hello");
        assertThat(in.requiredText("b", 3)).isEqualTo("😀😀😀");
        assertThat(in.requiredText("c", 3)).isNull();
        assertThat(fields(in)).containsExactly("c");
    }

    @Test
    void eachBadFieldIsReportedOnce() {
        Map<String, Object> body = new HashMap<>();
        body.put("number", 5);
        body.put("blank", "   ");
        body.put("nil", null);
        Input in = new Input(body);
        in.requiredText("number", 10);
        in.requiredText("blank", 10);
        in.requiredText("nil", 10);
        in.requiredText("absent", 10);
        assertThat(fields(in)).containsExactly("number", "blank", "nil", "absent");
    }

    @Test
    void presentTellsAbsentAndNullFromWrongTypes() {
        Map<String, Object> body = new HashMap<>();
        body.put("nil", null);
        body.put("number", 5);
        Input in = new Input(body);
        assertThat(in.present("nil")).isFalse();
        assertThat(in.present("absent")).isFalse();
        assertThat(in.present("number")).isTrue();
        assertThat(in.has("nil")).isTrue();
        assertThat(in.valid()).isTrue();
    }

    @Test
    void allowOnlyReportsEveryUnknownFieldNamingTheAllowedOnes() {
        Input in = new Input(Map.of("a", 1, "x", 2, "y", 3)).allowOnly(java.util.Set.of("a", "b"));
        assertThatThrownBy(in::check).isInstanceOf(ValidationException.class)
                .satisfies(e -> {
                    List<FieldError> errors = ((ValidationException) e).errors();
                    assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("x", "y");
                    assertThat(errors.getFirst().message()).contains("a, b");
                });
    }

    @Test
    void integersMustBeWholeAndInRange() {
        Input in = new Input(Map.of("ok", 5, "float", 2.5, "low", 0, "text", "5", "whole", 3.0));
        assertThat(in.integer("ok", 1, 10)).isEqualTo(5);
        assertThat(in.integer("whole", 1, 10)).isEqualTo(3);
        assertThat(in.integer("float", 1, 10)).isNull();
        assertThat(in.integer("low", 1, 10)).isNull();
        assertThat(in.integer("text", 1, 10)).isNull();
        assertThat(in.integer("absent", 1, 10)).isNull();
        assertThat(fields(in)).containsExactly("float", "low", "text");
    }

    @Test
    void parsedCollectsTheParsersError() {
        Input in = new Input(Map.of("when", "soon"));
        java.time.Instant parsed = in.parsed("when", v -> Times.parseInput("when", v));
        assertThat(parsed).isNull();
        assertThat(fields(in)).containsExactly("when");
    }

    @Test
    void aNestedObjectReportsItsFieldsUnderItsName() {
        Input in = new Input(Map.of("names", Map.of("a", "ok", "b", 7, "c", "x"), "flat", "yes", "notAnObject", "no"));
        Input names = in.object("names").allowOnly(java.util.Set.of("a", "b"));
        assertThat(names.string("a")).isEqualTo("ok");
        assertThat(names.string("b")).isNull();
        assertThat(in.object("notAnObject")).isNull();
        assertThat(in.object("absent")).isNull();
        assertThat(fields(in)).containsExactly("names.c", "names.b", "notAnObject");
    }

    @Test
    void oneErrorSummaryNamesTheFieldAndManyCountThem() {
        assertThat(new ValidationException("title", "is required").getMessage()).isEqualTo("title: is required");
        assertThat(new ValidationException(List.of(new FieldError("a", "x"), new FieldError("b", "y"))).getMessage()).startsWith("2 fields");
    }

    @Test
    void aWholeNumberPastLongIsOutOfRangeNotWrapped() {
        Input in = new Input(Map.of("days", new java.math.BigInteger("18446744073709551617"),
                "count", new java.math.BigInteger("18446744073709551620"), "huge", new java.math.BigDecimal("1e400")));
        assertThat(in.integer("days", 1, 3650)).isNull();
        assertThat(in.integer("count", 1, 8)).isNull();
        assertThat(in.decimal("huge", 0, 1)).isNull();
        assertThat(fields(in)).containsExactly("days", "count", "huge");
    }

    @Test
    void aRequestThatTakesNoFieldsSaysSo() {
        Input in = new Input(Map.of("x", 1)).allowOnly(java.util.Set.of());
        assertThatThrownBy(in::check).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors().getFirst().message()).contains("takes no fields"));
    }
}
