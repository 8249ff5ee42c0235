package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV formula guard: what export writes, import reads back unchanged, and no written cell can start a formula. */
class CsvNeutralisationTest {
    private static final String ALPHABET = "'=+-@a ";

    /** Every string of up to four characters over an alphabet of the characters that matter. */
    private static List<String> all() {
        List<String> out = new ArrayList<>(List.of(""));
        List<String> layer = List.of("");
        for (int length = 1; length <= 4; length++) {
            List<String> next = new ArrayList<>();
            for (String prefix : layer) {
                for (char c : ALPHABET.toCharArray()) {
                    next.add(prefix + c);
                }
            }
            out.addAll(next);
            layer = next;
        }
        return out;
    }

    @Test
    void neutraliseThenUnneutraliseIsTheIdentity() {
        for (String value : all()) {
            String written = CsvFormat.neutralise(value);
            assertThat(CsvFormat.unneutralise(written)).as("round trip of [%s] written as [%s]", value, written)
                    .isEqualTo(value.isEmpty() ? null : value);
        }
    }

    @Test
    void noWrittenCellStartsWithAFormulaCharacter() {
        for (String value : all()) {
            String written = CsvFormat.neutralise(value);
            if (written != null && !written.isEmpty()) {
                assertThat("=+-@".indexOf(written.charAt(0))).as("[%s] written as [%s]", value, written).isEqualTo(-1);
            }
        }
    }

    @Test
    void formulaCellsGetExactlyOneApostrophe() {
        assertThat(CsvFormat.neutralise("=SUM(A1)")).isEqualTo("'=SUM(A1)");
        assertThat(CsvFormat.neutralise("+1")).isEqualTo("'+1");
        assertThat(CsvFormat.neutralise("-1")).isEqualTo("'-1");
        assertThat(CsvFormat.neutralise("@x")).isEqualTo("'@x");
        assertThat(CsvFormat.neutralise("plain")).isEqualTo("plain");
        assertThat(CsvFormat.neutralise("'quoted")).isEqualTo("'quoted");
        assertThat(CsvFormat.unneutralise("'=SUM(A1)")).isEqualTo("=SUM(A1)");
        assertThat(CsvFormat.unneutralise("'plain")).isEqualTo("'plain");
    }
}
