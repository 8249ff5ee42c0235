package dev.chl.common;

import static org.assertj.core.api.Assertions.assertThat;

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
    }

    @Test
    void oneLineMeansNoLineBreakOfAnyKind() {
        assertThat(Text.isOneLine("one line\ttabbed")).isTrue();
        for (String breaking : new String[] {"\n", "\r", "\u0085", "\u2028", "\u2029"}) {
            assertThat(Text.isOneLine("a" + breaking + "b")).as("U+%04X", (int) breaking.charAt(0)).isFalse();
        }
    }
}
