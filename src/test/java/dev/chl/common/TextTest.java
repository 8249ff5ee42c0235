package dev.chl.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.BreakIterator;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void trimRemovesInvisibleSpacesThatStripKeeps() {
        assertThat("\u00a0\u200b".strip()).as("the gap Text.trim closes").isNotEmpty();
        assertThat(Text.trim("\u00a0\u200b")).isEmpty();
        assertThat(Text.trim("\ufeff  Title\u2003\u202f")).isEqualTo("Title");
        assertThat(Text.trim("a\u00a0b")).as("only the ends").isEqualTo("a\u00a0b");
        assertThat(Text.trim("👍🏽 ok 👍🏽")).isEqualTo("👍🏽 ok 👍🏽");
    }

    @Test
    void controlCharactersAndBrokenSurrogatesCannotBeStored() {
        assertThat(Text.unstorable("\u0000x")).contains("U+0000").contains("position 1");
        assertThat(Text.unstorable("ab\u001b")).contains("U+001B").contains("position 3");
        assertThat(Text.unstorable("x\ud800y")).contains("surrogate");
        assertThat(Text.unstorable("x\udc00")).contains("surrogate");
        assertThat(Text.unstorable("tab\tand\r\nbreaks, emoji 😀, accents é")).isNull();
        assertThat(Text.unstorable("x\uFFFE")).as("the .xlsx writer turns it into '?'").contains("U+FFFE");
    }

    @Test
    void readOnlyTextLosesWhatCannotBeStoredInsteadOfBeingRefused() {
        assertThat(Text.withoutUnstorable("\u001b[31merror\u001b[0m in\u0000 😀 \ud800")).isEqualTo(" [31merror [0m in  😀  ");
    }

    @Test
    void oneLineMeansNoLineBreakOfAnyKind() {
        assertThat(Text.isOneLine("one line\ttabbed")).isTrue();
        for (String breaking : new String[] {"\n", "\r", "\u0085", "\u2028", "\u2029"}) {
            assertThat(Text.isOneLine("a" + breaking + "b")).as("U+%04X", (int) breaking.charAt(0)).isFalse();
        }
    }

    /** Text that a cut left whole: no broken surrogate, no replacement character or '?' standing in for one. */
    static void assertWhole(String cut, String original) {
        assertThat(Text.unstorable(cut)).as("a broken character in %s", cut).isNull();
        assertThat(cut).doesNotContain("\ufffd");
        assertThat(original).as("a cut of the original").startsWith(cut.endsWith("…") ? cut.substring(0, cut.length() - 1).strip() : cut);
    }

    @Test
    void aPreviewOfEmojiCutsBetweenThem() {
        String rockets = "🚀".repeat(300);
        String preview = Text.preview(rockets, 220);
        assertWhole(preview, rockets);
        assertThat(preview).hasSizeLessThanOrEqualTo(220).endsWith("🚀…").isEqualTo("🚀".repeat(109) + "…");
        assertThat(Text.preview(rockets, 161)).as("an odd limit falls inside a pair").isEqualTo("🚀".repeat(80) + "…");
    }

    @Test
    void aPreviewOfMixedTextKeepsGraphemesWholeAndEndsAfterAWord() {
        String family = "👩‍👩‍👧‍👦";   // four emoji joined by zero-width joiners: one grapheme of 11 UTF-16 units
        String accented = "e\u0301";     // e + combining acute accent
        String mixed = ("Deploy 🚀 then " + accented + "cole " + family + " and 🇩🇪 flags: café naïve. ").repeat(12);
        BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
        graphemes.setText(mixed);
        for (int max = 20; max <= 220; max++) {
            String preview = Text.preview(mixed, max);
            assertWhole(preview, mixed);
            assertThat(preview).as("limit %d", max).hasSizeLessThanOrEqualTo(max).endsWith("…");
            int cut = preview.length() - 1;
            assertThat(graphemes.isBoundary(cut)).as("limit %d cuts between graphemes: %s", max, preview).isTrue();
        }
        assertThat(Text.preview("one two three four five six", 15)).as("ends after a whole word").isEqualTo("one two three…");
        assertThat(Text.preview("short", 15)).isEqualTo("short");
    }

    @Test
    void truncateCutsBetweenGraphemesWithoutAMark() {
        assertThat(Text.truncate("a".repeat(99) + "🚀🚀", 100)).isEqualTo("a".repeat(99));
        assertThat(Text.truncate("ab👩‍👩‍👧‍👦", 6)).isEqualTo("ab");
        assertThat(Text.truncate("ok", 100)).isEqualTo("ok");
    }

    @Test
    void oneLineMakesAnyNameAStorableSingleLine() {
        assertThat(Text.oneLine("a\u0000b\u001b[31mred\nline2\u2028 end")).isEqualTo("a b [31mred line2 end");
        assertThat(Text.oneLine("\u200b\u00a0 ")).isEmpty();
        assertThat(Text.oneLine(" Claude\tCode ")).isEqualTo("Claude Code");
    }
}
