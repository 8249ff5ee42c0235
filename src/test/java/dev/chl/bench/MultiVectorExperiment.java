package dev.chl.bench;

import dev.chl.embed.Embedder;
import dev.chl.embed.EmbeddingModels;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Brute-force comparison of multi-vector scorings (no index, not part of the product): documents and queries cut into
 * generic pieces (sentences, punctuation clauses, word windows), each piece embedded, scored by MaxSim variants.
 * Embeddings are cached under target/ so iterations are fast. Args: model ids (default MiniLM-q).
 */
public final class MultiVectorExperiment {
    record Item(String id, String title, String body, String full) {}

    record Query(String text, String kind, Set<String> relevant) {}

    /** Embeds with a per-text cache that persists between runs. */
    static final class Cache {
        final Embedder embedder;
        final Path file;
        final Map<String, float[]> docs = new HashMap<>();
        final Map<String, float[]> queries = new HashMap<>();

        Cache(String model, Path file) throws IOException {
            this.file = file;
            this.embedder = model.equals("none") ? null : EmbeddingModels.load(model);
            if (Files.exists(file)) {
                try (var in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                    int n = in.readInt();
                    for (int i = 0; i < n; i++) {
                        boolean query = in.readBoolean();
                        String text = in.readUTF();
                        float[] v = new float[in.readInt()];
                        for (int j = 0; j < v.length; j++) v[j] = in.readFloat();
                        (query ? queries : docs).put(text, v);
                    }
                }
            }
        }

        void fillDocs(List<String> texts) {
            List<String> missing = texts.stream().filter(t -> !docs.containsKey(t)).distinct().toList();
            long t0 = System.nanoTime();
            for (int i = 0; i < missing.size(); i += 64) {
                List<String> batch = missing.subList(i, Math.min(missing.size(), i + 64));
                List<float[]> vs = embedder.embedDocuments(batch);
                for (int j = 0; j < batch.size(); j++) docs.put(batch.get(j), vs.get(j));
            }
            if (!missing.isEmpty()) System.out.printf("embedded %d doc pieces in %.1f s%n", missing.size(), (System.nanoTime() - t0) / 1e9);
        }

        float[] doc(String t) {
            return docs.computeIfAbsent(t, embedder::embedDocument);
        }

        float[] query(String t) {
            return queries.computeIfAbsent(t, embedder::embedQuery);
        }

        void save() throws IOException {
            Files.createDirectories(file.getParent());
            try (var out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
                out.writeInt(docs.size() + queries.size());
                for (var m : List.of(docs, queries)) {
                    for (var e : m.entrySet()) {
                        out.writeBoolean(m == queries);
                        out.writeUTF(e.getKey());
                        out.writeInt(e.getValue().length);
                        for (float f : e.getValue()) out.writeFloat(f);
                    }
                }
            }
        }
    }

    /** Sentences: split after . ! ? followed by space. */
    static List<String> sentences(String text) {
        return Arrays.stream(text.split("(?<=[.!?])\\s+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Clauses: split on punctuation (, ; : . ! ? parentheses). */
    static List<String> clauses(String text) {
        return Arrays.stream(text.split("[,;:.!?()]+\\s*")).map(String::strip).filter(s -> s.split("\\s+").length >= 2).toList();
    }

    /** Overlapping windows of n words, stride n/2; a text shorter than n is one window. */
    static List<String> windows(String text, int n) {
        return windows(text, n, Math.max(1, n / 2));
    }

    /** Windows of n words every {@code stride} words (the last ends at the last word); a text shorter than n is one. */
    static List<String> windows(String text, int n, int stride) {
        String[] w = text.replaceAll("[,;:.!?()]", " ").strip().split("\\s+");
        List<String> out = new ArrayList<>();
        if (w.length <= n) {
            out.add(String.join(" ", w));
            return out;
        }
        for (int i = 0; ; i += stride) {
            int end = Math.min(w.length, i + n);
            out.add(String.join(" ", Arrays.copyOfRange(w, Math.max(0, end - n), end)));
            if (end == w.length) break;
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        List<String> models = args.length > 0 ? List.of(args) : List.of(EmbeddingModels.MINILM);
        Path data = Path.of("../shared/bench/data");
        JsonMapper json = JsonMapper.builder().build();
        List<Item> items = Files.readAllLines(data.resolve("heuristics-1000.jsonl")).stream().map(json::readTree)
                .map(n -> new Item(n.path("id").asString(), n.path("title").asString(), n.path("body").asString(),
                        n.path("title").asString() + "\n" + n.path("body").asString()))
                .toList();
        List<Query> queries = Files.readAllLines(data.resolve("queries-1000.jsonl")).stream().map(json::readTree).map(n -> {
            Set<String> rel = new HashSet<>();
            n.path("relevant").forEach(r -> rel.add(r.asString()));
            return new Query(n.path("query").asString(), n.path("kind").asString(), rel);
        }).toList();

        // Document pieces.
        Map<String, Function<Item, List<String>>> docCuts = new java.util.LinkedHashMap<>();
        docCuts.put("full", i -> List.of(i.full()));
        docCuts.put("full+title+sent", i -> concat(List.of(i.full(), i.title()), sentences(i.body())));
        docCuts.put("full+title+sent+tw6", i -> concat(concat(List.of(i.full(), i.title()), sentences(i.body())), windows(i.title(), 6)));
        docCuts.put("full+title+sent+tw4", i -> concat(concat(List.of(i.full(), i.title()), sentences(i.body())), windows(i.title(), 4)));
        // Query pieces.
        Map<String, Function<String, List<String>>> queryCuts = new java.util.LinkedHashMap<>();
        queryCuts.put("whole", q -> List.of(q));
        queryCuts.put("whole+clauses", q -> distinct(concat(List.of(q), clauses(q))));
        queryCuts.put("whole+w3", q -> distinct(concat(List.of(q), windows(q, 3))));
        queryCuts.put("whole+w4", q -> distinct(concat(List.of(q), windows(q, 4))));
        queryCuts.put("whole+w5", q -> distinct(concat(List.of(q), windows(q, 5))));
        queryCuts.put("whole+w3s3", q -> distinct(concat(List.of(q), windows(q, 3, 3))));
        queryCuts.put("whole+w4s4", q -> distinct(concat(List.of(q), windows(q, 4, 4))));
        queryCuts.put("whole+w5s5", q -> distinct(concat(List.of(q), windows(q, 5, 5))));
        queryCuts.put("whole+w6s3", q -> distinct(concat(List.of(q), windows(q, 6, 3))));

        Map<String, Cache> caches = new HashMap<>();
        for (String model : models) {
            Cache c = new Cache(model, Path.of("target/embedding-cache-" + model + ".bin"));
            caches.put(model, c);
            for (var cut : docCuts.entrySet()) {
                c.fillDocs(items.stream().flatMap(i -> cut.getValue().apply(i).stream()).toList());
            }
            c.save();
        }
        // Per model, per (doc cut, query cut): the piece vectors.
        Map<String, List<List<float[]>>> dv = new HashMap<>();
        Map<String, List<List<float[]>>> qv = new HashMap<>();
        for (String model : models) {
            Cache c = caches.get(model);
            for (var dc : docCuts.entrySet()) {
                dv.put(model + dc.getKey(), items.stream().map(i -> dc.getValue().apply(i).stream().map(c::doc).toList()).toList());
            }
            for (var qc : queryCuts.entrySet()) {
                qv.put(model + qc.getKey(), queries.stream().map(q -> qc.getValue().apply(q.text()).stream().map(c::query).toList()).toList());
            }
            c.save();
        }
        for (String model : models) {
            System.out.println("== " + model);
            report(model, "full", "whole", "cos", items, queries, List.of(qv.get(model + "whole")), List.of(dv.get(model + "full")), Scorers::first);
            recallAt(30, items, queries, qv.get(model + "whole"), dv.get(model + "full"));
            for (String dc : docCuts.keySet()) {
                if (dc.equals("full")) continue;
                for (String qc : queryCuts.keySet()) {
                    for (double lambda : new double[] {0.5, 1, 2}) {
                        report(model, dc, qc, "cos+" + lambda + "*maxsim", items, queries, List.of(qv.get(model + qc)),
                                List.of(dv.get(model + dc)), (q, d) -> Scorers.first(q, d) + lambda * Scorers.maxSim(q, d));
                    }
                }
            }
        }
        if (models.size() > 1) {
            System.out.println("== ensemble (sum over models) " + models);
            report("ens", "full", "whole", "cos", items, queries, models.stream().map(m -> qv.get(m + "whole")).toList(),
                    models.stream().map(m -> dv.get(m + "full")).toList(), Scorers::first);
            for (String dc : List.of("full+title+sent", "full+title+sent+tw6")) {
                for (String qc : List.of("whole+w4", "whole+w5")) {
                    report("ens", dc, qc, "cos+1*maxsim", items, queries, models.stream().map(m -> qv.get(m + qc)).toList(),
                            models.stream().map(m -> dv.get(m + dc)).toList(), (q, d) -> Scorers.first(q, d) + Scorers.maxSim(q, d));
                }
            }
        }
    }

    static void recallAt(int k, List<Item> items, List<Query> queries, List<List<float[]>> qVecs, List<List<float[]>> docVecs) {
        double sum = 0;
        double para = 0;
        int nPara = 0;
        for (int qi = 0; qi < queries.size(); qi++) {
            int fqi = qi;
            Integer[] order = rank(items.size(), d -> dot(qVecs.get(fqi).getFirst(), docVecs.get(d).getFirst()));
            double hit = 0;
            for (int r = 0; r < k; r++) if (queries.get(qi).relevant().contains(items.get(order[r]).id())) hit++;
            double rec = hit / queries.get(qi).relevant().size();
            sum += rec;
            if (queries.get(qi).kind().equals("paraphrase")) {
                para += rec;
                nPara++;
            }
        }
        System.out.printf("recall@%d of whole-text cosine: all %.3f para %.3f (the ceiling of a top-%d re-rank)%n", k, sum / queries.size(), para / nPara, k);
    }

    /** Scorers: q = query piece vectors (q[0] = whole query), d = document piece vectors (d[0] = first piece). */
    static final class Scorers {
        static double first(List<float[]> q, List<float[]> d) {
            return dot(q.getFirst(), d.getFirst());
        }

        static double maxQ(List<float[]> q, List<float[]> d) {
            double best = -1;
            for (float[] x : q) best = Math.max(best, dot(x, d.getFirst()));
            return best;
        }

        static double meanQ(List<float[]> q, List<float[]> d) {
            double s = 0;
            for (float[] x : q) s += dot(x, d.getFirst());
            return s / q.size();
        }

        static double maxAll(List<float[]> q, List<float[]> d) {
            double best = -1;
            for (float[] y : d) best = Math.max(best, dot(q.getFirst(), y));
            return best;
        }

        /** ColBERT-style: every query piece finds its best document piece; the mean of those. */
        static double maxSim(List<float[]> q, List<float[]> d) {
            double s = 0;
            for (float[] x : q) {
                double best = -1;
                for (float[] y : d) best = Math.max(best, dot(x, y));
                s += best;
            }
            return s / q.size();
        }

        static double cosPlusMaxSim(List<float[]> q, List<float[]> d) {
            return dot(q.getFirst(), d.getFirst()) + maxSim(q, d);
        }

        static double cosPlusTop2(List<float[]> q, List<float[]> d) {
            double[] s = new double[d.size() - 1];
            for (int i = 1; i < d.size(); i++) s[i - 1] = dot(q.getFirst(), d.get(i));
            Arrays.sort(s);
            double top2 = s.length >= 2 ? (s[s.length - 1] + s[s.length - 2]) / 2 : s[s.length - 1];
            return dot(q.getFirst(), d.getFirst()) + top2;
        }
    }

    interface Scorer {
        double score(List<float[]> q, List<float[]> d);
    }

    /** Ranks all items by the sum over models of the scorer; recall@5 and MRR@10, overall and per query kind. */
    static void report(String model, String docCut, String queryCut, String scorer, List<Item> items, List<Query> queries,
            List<List<List<float[]>>> qVecsPerModel, List<List<List<float[]>>> docVecsPerModel, Scorer s) {
        Map<String, double[]> acc = new TreeMap<>();
        for (int qi = 0; qi < queries.size(); qi++) {
            double[] sc = new double[items.size()];
            for (int m = 0; m < qVecsPerModel.size(); m++) {
                for (int d = 0; d < items.size(); d++) sc[d] += s.score(qVecsPerModel.get(m).get(qi), docVecsPerModel.get(m).get(d));
            }
            Integer[] order = rank(items.size(), d -> sc[d]);
            Query q = queries.get(qi);
            double hit = 0;
            double rr = 0;
            for (int k = 0; k < 10; k++) {
                if (q.relevant().contains(items.get(order[k]).id())) {
                    if (k < 5) hit++;
                    if (rr == 0) rr = 1.0 / (k + 1);
                }
            }
            for (String kind : List.of("all", q.kind())) {
                double[] a = acc.computeIfAbsent(kind, x -> new double[3]);
                a[0] += hit / q.relevant().size();
                a[1] += rr;
                a[2]++;
            }
        }
        StringBuilder line = new StringBuilder(String.format("%-20s %-20s %-14s %-18s", model, docCut, queryCut, scorer));
        for (String k : List.of("all", "paraphrase", "fragment", "keywords")) {
            double[] a = acc.get(k);
            line.append(String.format("  %s %.3f/%.3f", k.substring(0, Math.min(4, k.length())), a[0] / a[2], a[1] / a[2]));
        }
        System.out.println(line);
    }

    static Integer[] rank(int n, java.util.function.IntToDoubleFunction score) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = score.applyAsDouble(i);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
        return order;
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static List<String> distinct(List<String> l) {
        return List.copyOf(new LinkedHashSet<>(l));
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
