package dev.chl.entries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chl.common.FieldError;
import dev.chl.common.Input;
import dev.chl.common.ValidationException;
import dev.chl.model.Kind;
import dev.chl.model.Section;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryFieldsTest {
    private static List<FieldError> errors(Kind kind, Map<String, Object> body, boolean creating) {
        try {
            EntryFields.read(kind, new Input(body), creating);
            return List.of();
        } catch (ValidationException e) {
            return e.errors();
        }
    }

    @Test
    void readsAValidExperience() {
        EntryFields.Values v = EntryFields.read(Kind.EXPERIENCE, new Input(Map.of("category_code", "ARC", "section", "contextual",
                "title", " Title ", "playbook", "Do it.")), true);
        assertThat(v.section()).isEqualTo(Section.CONTEXTUAL);
        assertThat(v.title()).isEqualTo("Title");
        assertThat(v.categoryCode()).isEqualTo("ARC");
        assertThat(v.context()).isNull();
    }

    @Test
    void aSectionOfTheWrongTypeIsOneError() {
        Map<String, Object> body = new HashMap<>(Map.of("category_code", "ARC", "title", "t", "playbook", "p"));
        body.put("section", 5);
        assertThat(errors(Kind.EXPERIENCE, body, true)).extracting(FieldError::field).containsExactly("section");
        body.put("section", List.of("useful"));
        assertThat(errors(Kind.EXPERIENCE, body, false)).extracting(FieldError::field).containsExactly("section");
    }

    @Test
    void aMissingOrNullSectionIsRequired() {
        Map<String, Object> body = new HashMap<>(Map.of("category_code", "ARC", "title", "t", "playbook", "p"));
        assertThat(errors(Kind.EXPERIENCE, body, true)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("required").contains("useful"));
        body.put("section", null);
        assertThat(errors(Kind.EXPERIENCE, body, false)).extracting(FieldError::field).containsExactly("section");
    }

    @Test
    void aPartialUpdateNeedsNothing() {
        EntryFields.Values v = EntryFields.read(Kind.MANUAL, new Input(Map.of()), false);
        assertThat(v.title()).isNull();
        assertThat(v.content()).isNull();
    }

    @Test
    void limitsAreTheDesignLimits() {
        assertThat(EntryFields.TITLE_MAX).isEqualTo(120);
        assertThat(EntryFields.PLAYBOOK_MAX).isEqualTo(2000);
        assertThatThrownBy(() -> EntryFields.read(Kind.MANUAL, new Input(Map.of("title", "a\nb")), false))
                .isInstanceOf(ValidationException.class).hasMessageContaining("one line");
    }
}
