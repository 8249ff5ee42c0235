package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chl.index.Hit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FusionTest {
    private static Hit lexical(String id, float coverage) {
        return new Hit(id, "experience", "ABC", "title " + id, "body " + id, 7f, coverage);
    }

    private static Hit vector(String id) {
        return new Hit(id, "experience", "ABC", "title " + id, "body " + id, 0.8f, 1f);
    }

    private static List<String> ids(List<Fusion.Fused> fused) {
        return fused.stream().map(f -> f.hit.id()).toList();
    }

    @Test
    void lowCoverageLexicalHitDoesNotOutrankVectorHitAtTheSameRank() {
        List<Fusion.Fused> fused = Fusion.fuse(List.of(lexical("L", 0.2f)), 1.0, List.of(vector("V")), 1.0);

        assertThat(ids(fused)).containsExactly("V", "L");
        assertThat(fused.get(1).score()).isCloseTo(0.04 / (Fusion.K + 1), within(1e-9));
        assertThat(fused.get(0).score()).isCloseTo(1.0 / (Fusion.K + 1), within(1e-9));
    }

    @Test
    void lowCoverageLexicalHitsStayBelowEveryVectorHitOfTheSameRank() {
        List<Hit> lex = List.of(lexical("L1", 0.2f), lexical("L2", 0.2f), lexical("L3", 0.2f));
        List<Hit> vec = List.of(vector("V1"), vector("V2"), vector("V3"));

        List<String> order = ids(Fusion.fuse(lex, 1.0, vec, 1.0));

        assertThat(order).containsExactly("V1", "V2", "V3", "L1", "L2", "L3");
    }

    @Test
    void fullCoverageLexicalHitCountsLikeAVectorHit() {
        List<Fusion.Fused> fused = Fusion.fuse(List.of(lexical("L", 1f)), 1.0, List.of(vector("X"), vector("V")), 1.0);

        // a first-ranked lexical hit (1/61) ties with the first vector hit and beats the second (1/62)
        assertThat(ids(fused).subList(0, 2)).containsExactlyInAnyOrder("X", "L");
        assertThat(ids(fused).get(2)).isEqualTo("V");
        assertThat(fused.get(0).score()).isEqualTo(fused.get(1).score());
    }

    @Test
    void coverageWeightsQuadratically() {
        List<Fusion.Fused> fused = Fusion.fuse(List.of(lexical("A", 0.5f)), 1.0, List.of(), 1.0);

        assertThat(fused.getFirst().score()).isCloseTo(0.25 / (Fusion.K + 1), within(1e-9));
    }

    @Test
    void documentFoundByBothPathsAddsUpAndSaysSo() {
        List<Fusion.Fused> fused = Fusion.fuse(
                List.of(lexical("B", 1f), lexical("L", 1f)), 1.0,
                List.of(vector("V"), vector("B")), 1.0);

        assertThat(ids(fused).getFirst()).isEqualTo("B");
        Fusion.Fused both = fused.getFirst();
        assertThat(both.matchedBy).containsExactly("lexical", "vector");
        assertThat(both.score()).isCloseTo(1.0 / 61 + 1.0 / 62, within(1e-9));
        assertThat(fused.stream().filter(f -> f.hit.id().equals("V")).findFirst().orElseThrow().matchedBy).containsExactly("vector");
        assertThat(fused.stream().filter(f -> f.hit.id().equals("L")).findFirst().orElseThrow().matchedBy).containsExactly("lexical");
    }

    @Test
    void laterRanksScoreLowerAndWeightsScale() {
        List<Fusion.Fused> fused = Fusion.fuse(List.of(), 1.0, List.of(vector("A"), vector("B"), vector("C")), 2.0);

        assertThat(ids(fused)).containsExactly("A", "B", "C");
        assertThat(fused.get(0).score()).isCloseTo(2.0 / 61, within(1e-9));
        assertThat(fused.get(2).score()).isCloseTo(2.0 / 63, within(1e-9));
    }

    @Test
    void rerankReordersTheVectorTermsOfTheFirstCandidatesByTheFinerScore() {
        List<Fusion.Fused> fused = Fusion.fuse(List.of(), 1.0, List.of(vector("A"), vector("B"), vector("C")), 1.0);

        List<Fusion.Fused> reranked = Fusion.rerank(fused, 30, Map.of("A", 0.1, "B", 0.9, "C", 0.5), 2.0);

        assertThat(ids(reranked)).containsExactly("B", "C", "A");
        assertThat(reranked.getFirst().score()).as("the vector weight given").isCloseTo(2.0 / 61, within(1e-9));
    }

    @Test
    void rerankKeepsTheLexicalTermsAndAddsTheVectorPathToALexicalOnlyCandidate() {
        // L is found only lexically but its stored vectors score best: it gains the vector path's first rank.
        List<Fusion.Fused> fused = Fusion.fuse(List.of(lexical("L", 1f)), 1.0, List.of(vector("V")), 1.0);

        List<Fusion.Fused> reranked = Fusion.rerank(fused, 30, Map.of("L", 0.9, "V", 0.2), 1.0);

        Fusion.Fused first = reranked.getFirst();
        assertThat(first.hit.id()).isEqualTo("L");
        assertThat(first.score()).isCloseTo(1.0 / 61 + 1.0 / 61, within(1e-9));
        assertThat(first.matchedBy).containsExactly("lexical", "vector");
    }

    @Test
    void candidatesWithoutAFinerScoreAndThoseBeyondTheCutKeepTheirTerms() {
        List<Fusion.Fused> fused = Fusion.fuse(List.of(), 1.0, List.of(vector("A"), vector("B"), vector("C"), vector("D")), 1.0);

        // only the first two are re-ranked; C has no score; D lies beyond the cut even though it has one
        List<Fusion.Fused> reranked = Fusion.rerank(fused, 3, Map.of("A", 0.1, "B", 0.9, "D", 1.0), 1.0);

        assertThat(ids(reranked)).containsExactly("B", "A", "C", "D");
        assertThat(reranked.get(2).score()).isCloseTo(1.0 / 63, within(1e-9));
        assertThat(reranked.get(3).score()).isCloseTo(1.0 / 64, within(1e-9));
    }

    @Test
    void noHitsFuseToNothing() {
        assertThat(Fusion.fuse(List.of(), 1.0, List.of(), 1.0)).isEmpty();
    }
}
