package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnippetsTest {
    private static final String BODY = "Open a pool at start-up. Every request borrows a connection and returns it promptly! "
            + "Size the pool from measurements?\nLog slow borrowers.";

    @Test
    void picksTheSentenceSharingTheMostWordsWithTheQuery() {
        assertThat(Snippets.best(BODY, "return the connection quickly, every request")).isEqualTo(
                "Every request borrows a connection and returns it promptly!");
        assertThat(Snippets.best(BODY, "how do I size it from MEASUREMENTS")).isEqualTo("Size the pool from measurements?");
        assertThat(Snippets.best(BODY, "slow")).isEqualTo("Log slow borrowers.");
    }

    @Test
    void tiesGoToTheEarlierSentence() {
        assertThat(Snippets.best(BODY, "pool")).isEqualTo("Open a pool at start-up.");
    }

    @Test
    void withoutSharedWordsTheBodyIsShownFromItsStart() {
        assertThat(Snippets.best(BODY, "zebra")).isEqualTo(BODY.replace("\n", " "));
    }

    @Test
    void shortWordsDoNotCount() {
        assertThat(Snippets.best("First one. It is at an end.", "it is at an")).isEqualTo("First one. It is at an end.");
    }

    @Test
    void longTextIsTrimmedWithAnEllipsis() {
        String longSentence = "word ".repeat(100).strip() + ".";

        String snippet = Snippets.best(longSentence, "word");

        assertThat(snippet).hasSizeBetween(Snippets.MAX - 20, Snippets.MAX).as("cut after a whole word").endsWith(" word…")
                .startsWith("word word");
        assertThat(Snippets.best("  many   spaces\tand\ttabs  ", "spaces")).isEqualTo("many spaces and tabs");
    }

    @Test
    void emptyBodyGivesEmptySnippet() {
        assertThat(Snippets.best(null, "x")).isEmpty();
        assertThat(Snippets.best("   ", "x")).isEmpty();
        assertThat(Snippets.best("Something.", "")).isEqualTo("Something.");
    }

    @Test
    void aLongBodyOfEmojiIsCutBetweenThem() {
        String rockets = "🚀".repeat(300);
        String snippet = Snippets.best(rockets, "rocket");
        assertThat(snippet).hasSizeLessThanOrEqualTo(Snippets.MAX).isEqualTo("🚀".repeat(109) + "…");
        assertThat(dev.chl.common.Text.unstorable(snippet)).isNull();

        String mixed = "Ship it 🚀🚀 — then verify the 👩‍👩‍👧 dashboards, naïve café checks, ".repeat(8);
        String best = Snippets.best(mixed, "dashboards");
        assertThat(best).hasSizeLessThanOrEqualTo(Snippets.MAX).endsWith("…").doesNotContain("\ufffd");
        assertThat(dev.chl.common.Text.unstorable(best)).isNull();
        assertThat(mixed).startsWith(best.substring(0, best.length() - 1));
    }
}
