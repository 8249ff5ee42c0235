package dev.chl.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PiecesTest {
    @Test
    void documentPiecesAreTheTitleThenEachSentenceOfTwoWordsOrMore() {
        List<String> pieces = Pieces.ofDocument("Cap connection pools",
                "Seen under peak load. Compute the pool size from the core count! Why? Otherwise max_connections runs out.\nDone.");

        assertThat(pieces).containsExactly("Cap connection pools", "Seen under peak load.", "Compute the pool size from the core count!",
                "Otherwise max_connections runs out.");
    }

    @Test
    void repeatedSentencesAndAMissingBodyGiveNoExtraPieces() {
        assertThat(Pieces.ofDocument("Title here", "Title here\nSame words twice. Same words twice.")).containsExactly("Title here", "Same words twice.");
        assertThat(Pieces.ofDocument("Only a title", null)).containsExactly("Only a title");
    }

    @Test
    void aLongManualIsCutAtTheFirstSentences() {
        String body = IntStream.range(0, 40).mapToObj(i -> "Sentence number " + i + ".").collect(Collectors.joining(" "));

        List<String> pieces = Pieces.ofDocument("Handbook", body);

        assertThat(pieces).hasSize(Pieces.MAX_DOCUMENT_PIECES);
        assertThat(pieces.get(1)).isEqualTo("Sentence number 0.");
        assertThat(pieces.getLast()).isEqualTo("Sentence number 10.");
    }

    @Test
    void aShortQueryHasNoWindows() {
        assertThat(Pieces.ofQuery("five words are enough here")).isEmpty();
        assertThat(Pieces.ofQuery("retry with backoff")).isEmpty();
    }

    @Test
    void queryWindowsAreFiveWordsSideBySideAndTheLastEndsAtTheLastWord() {
        List<String> windows = Pieces.ofQuery("lookups scan the whole table, because filtered fields lack a key structure: for the admin tool");

        assertThat(windows).containsExactly("lookups scan the whole table", "because filtered fields lack a", "key structure for the admin",
                "structure for the admin tool");
    }

    @Test
    void aVeryLongQueryHasABoundedNumberOfWindows() {
        String query = IntStream.range(0, 200).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));

        assertThat(Pieces.ofQuery(query)).hasSize(Pieces.MAX_QUERY_PIECES).first().isEqualTo("w0 w1 w2 w3 w4");
    }
}
