package dev.chl.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CursorsTest {
    @Test
    void roundTripsItsParts() {
        String cursor = Cursors.encode("2026-01-01T00:00:00.000Z", "EXP-ARC-20260101-000000000-2");
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(Cursors.decode(cursor, 2)).containsExactly("2026-01-01T00:00:00.000Z", "EXP-ARC-20260101-000000000-2");
    }

    @Test
    void rejectsForeignOrMisshapenCursors() {
        assertThatThrownBy(() -> Cursors.decode("***", 2)).isInstanceOf(ValidationException.class).hasMessageContaining("cursor");
        assertThatThrownBy(() -> Cursors.decode(Cursors.encode("only-one"), 2)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Cursors.decode(Cursors.encode("a", "b", "c"), 2)).isInstanceOf(ValidationException.class);
    }
}
