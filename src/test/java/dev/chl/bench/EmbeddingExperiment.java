package dev.chl.bench;

import dev.chl.embed.Embedder;
import dev.chl.embed.EmbeddingModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Brute-force cosine recall for document-text variants, to choose what to embed (not part of the product). */
public final class EmbeddingExperiment {
    public static void main(String[] args) throws Exception {
        Path data = Path.of("../shared/bench/data");
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> items = Files.readAllLines(data.resolve("heuristics-1000.jsonl")).stream().map(json::readTree).toList();
        List<JsonNode> queries = Files.readAllLines(data.resolve("queries-1000.jsonl")).stream().map(json::readTree).toList();
        java.util.Map<String, List<float[]>> fullByModel = new java.util.HashMap<>();
        java.util.Map<String, List<float[]>> queryByModel = new java.util.HashMap<>();
        for (String model : List.of(EmbeddingModels.MINILM, EmbeddingModels.BGE_SMALL)) {
            Embedder e = EmbeddingModels.load(model);
            List<float[]> titles = e.embedDocuments(items.stream().map(i -> i.path("title").asString()).toList());
            List<float[]> full = e.embedDocuments(items.stream().map(i -> i.path("title").asString() + "\n" + i.path("body").asString()).toList());
            List<float[]> qPref = new ArrayList<>();
            List<float[]> qPlain = new ArrayList<>();
            for (JsonNode q : queries) {
                qPref.add(e.embedQuery(q.path("query").asString()));
                qPlain.add(e.embedDocument(q.path("query").asString()));
            }
            fullByModel.put(model, full);
            queryByModel.put(model, qPref);
            for (String variant : List.of("full")) {
                for (String qv : List.of("prefixed", "plain")) {
                    double r5 = 0;
                    for (int qi = 0; qi < queries.size(); qi++) {
                        float[] qvec = (qv.equals("prefixed") ? qPref : qPlain).get(qi);
                        double[] scores = new double[items.size()];
                        for (int d = 0; d < items.size(); d++) {
                            double t = dot(qvec, titles.get(d));
                            double f = dot(qvec, full.get(d));
                            scores[d] = variant.equals("title") ? t : variant.equals("full") ? f : Math.max(t, f);
                        }
                        Integer[] order = new Integer[items.size()];
                        for (int d = 0; d < order.length; d++) order[d] = d;
                        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
                        Set<String> relevant = new HashSet<>();
                        queries.get(qi).path("relevant").forEach(n -> relevant.add(n.asString()));
                        double hit = 0;
                        for (int k = 0; k < 5; k++) if (relevant.contains(items.get(order[k]).path("id").asString())) hit++;
                        r5 += hit / relevant.size();
                    }
                    System.out.printf("%s %-5s %-8s R@5 %.3f%n", model, variant, qv, r5 / queries.size());
                }
            }
        }
        for (double wb : new double[] {0.5, 1.0}) {
            double r5 = 0;
            for (int qi = 0; qi < queries.size(); qi++) {
                double[] scores = new double[items.size()];
                for (int d = 0; d < items.size(); d++) {
                    scores[d] = dot(queryByModel.get(EmbeddingModels.MINILM).get(qi), fullByModel.get(EmbeddingModels.MINILM).get(d))
                            + wb * dot(queryByModel.get(EmbeddingModels.BGE_SMALL).get(qi), fullByModel.get(EmbeddingModels.BGE_SMALL).get(d));
                }
                Integer[] order = new Integer[items.size()];
                for (int d = 0; d < order.length; d++) order[d] = d;
                java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
                Set<String> relevant = new HashSet<>();
                queries.get(qi).path("relevant").forEach(n -> relevant.add(n.asString()));
                double hit = 0;
                for (int k = 0; k < 5; k++) if (relevant.contains(items.get(order[k]).path("id").asString())) hit++;
                r5 += hit / relevant.size();
            }
            System.out.printf("ensemble minilm + %.1f bge R@5 %.3f%n", wb, r5 / queries.size());
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
