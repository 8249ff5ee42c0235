package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryTextTest {
    @Test
    void plainQueryIsAllPhrase() {
        QueryText q = QueryText.parse("  retry with backoff  ");

        assertThat(q.phrase()).isEqualTo("retry with backoff");
        assertThat(q.task()).isEmpty();
        assertThat(q.forEmbedding()).isEqualTo("retry with backoff");
    }

    @Test
    void searchAndTaskMarkersSplitPhraseFromContext() {
        QueryText q = QueryText.parse("[SEARCH] flaky tests [TASK] fixing the CI pipeline");

        assertThat(q.phrase()).isEqualTo("flaky tests");
        assertThat(q.task()).isEqualTo("fixing the CI pipeline");
        assertThat(q.forEmbedding()).isEqualTo("flaky tests. fixing the CI pipeline");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            [search] flaky tests [task] fixing CI
            [Search] flaky tests [Task] fixing CI
            [SEARCH]flaky tests[TASK]fixing CI
            [TASK] fixing CI [SEARCH] flaky tests
            """)
    void markersAreCaseInsensitiveAndMayComeInAnyOrder(String raw) {
        QueryText q = QueryText.parse(raw);

        assertThat(q.phrase()).isEqualTo("flaky tests");
        assertThat(q.task()).isEqualTo("fixing CI");
    }

    @Test
    void onlyATaskIsSearchedAsThePhrase() {
        QueryText q = QueryText.parse("[TASK] migrating the orders table");

        assertThat(q.phrase()).isEqualTo("migrating the orders table");
        assertThat(q.task()).isEmpty();
    }

    @Test
    void textBeforeTheFirstMarkerBelongsToThePhrase() {
        QueryText q = QueryText.parse("connection pool [TASK] tuning the service");

        assertThat(q.phrase()).isEqualTo("connection pool");
        assertThat(q.task()).isEqualTo("tuning the service");
    }

    @Test
    void repeatedMarkersAreJoined() {
        QueryText q = QueryText.parse("[SEARCH] alpha [TASK] one [SEARCH] beta [TASK] two");

        assertThat(q.phrase()).isEqualTo("alpha beta");
        assertThat(q.task()).isEqualTo("one two");
    }

    @Test
    void markersNeverSurviveAsWords() {
        for (String raw : new String[] {"[SEARCH] a [TASK] b", "[search][task]", "[SEARCH]", "[TASK] [SEARCH] x"}) {
            QueryText q = QueryText.parse(raw);
            assertThat(q.phrase() + " " + q.task()).as(raw).doesNotContainIgnoringCase("search").doesNotContainIgnoringCase("task");
        }
        assertThat(QueryText.parse("[SEARCH] [TASK]").phrase()).isEmpty();
    }

    @Test
    void bracketedWordsThatAreNotMarkersStayText() {
        QueryText q = QueryText.parse("[SEARCHING] for [tasks]");

        assertThat(q.phrase()).isEqualTo("[SEARCHING] for [tasks]");
        assertThat(q.task()).isEmpty();
    }
}
