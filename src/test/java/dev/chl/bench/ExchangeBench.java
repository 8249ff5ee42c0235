package dev.chl.bench;

import dev.chl.app.App;
import dev.chl.app.Config;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.Jobs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./bench exchange N…}: for each N, a fresh data directory and server in this JVM; a generated published
 * workbook of N experiences is uploaded over HTTP and imported (time until the import job has succeeded, i.e. the
 * transaction committed and the index told; the embedding of the new rows happens afterwards in the workers and is not
 * part of it), then the same library is exported to .xlsx and downloaded. Heap is measured per step ({@link HeapPeak}).
 * The workers are paused for the export, so the embedding backlog does not share the two cores with it.
 */
public final class ExchangeBench {
    public static void main(String[] args) throws Exception {
        System.out.printf("max heap (-Xmx) %d MB%n", Runtime.getRuntime().maxMemory() >> 20);
        for (String arg : args) {
            run(Integer.parseInt(arg));
        }
        System.exit(0); // a benchmark ends when it has printed its numbers
    }

    private static void run(int n) throws Exception {
        Path work = BenchData.tempDir("chl-bench-exchange-");
        long t = System.nanoTime();
        Path workbook = BenchWorkbook.write(work.resolve("published.xlsx"), n);
        System.out.printf("%n%,d rows: generated %s (%.1f MB) in %.1f s%n", n, workbook.getFileName(), Files.size(workbook) / 1e6,
                seconds(t));
        try (App app = App.start(new Config(work.resolve("data"), "127.0.0.1", 0, null), Clock.systemUTC())) {
            Http http = new Http("http://127.0.0.1:" + app.port(), null);
            while (app.services().workers().queue().pending() > 0) {
                Thread.sleep(100); // the seeded guides are embedded at the first start
            }
            importStep(http, workbook, n);
            Fixtures.pauseWorkers(http);
            exportStep(http, work.resolve("exported.xlsx"));
        }
    }

    private static void importStep(Http http, Path workbook, int n) {
        JsonNode job;
        Map<String, Double> steps;
        long uploadNanos;
        long jobNanos;
        HeapPeak.Result heap;
        try (HeapPeak peak = HeapPeak.start()) {
            long t = System.nanoTime();
            Http.Response upload = http.upload("/api/v1/uploads", "file", "published.xlsx", () -> open(workbook));
            check(upload.status() == 201, upload);
            uploadNanos = System.nanoTime() - t;
            t = System.nanoTime();
            String id = Jobs.start(http, "import", Map.of("source", "upload:" + upload.json().path("upload_id").asString()));
            steps = follow(http, id, t);
            jobNanos = System.nanoTime() - t;
            heap = peak.stop();
            job = Jobs.get(http, id);
        }
        check("succeeded".equals(job.path("status").asString()), job);
        check(job.path("result_summary").path("counts").path("add").asInt() == n, job.path("result_summary").path("counts"));
        System.out.printf("import %,d rows: upload %.1f s, job (POST until succeeded = committed) %.1f s; steps %s%n", n,
                uploadNanos / 1e9, jobNanos / 1e9, steps);
        System.out.printf("import %,d rows: %s%n", n, heap);
    }

    private static void exportStep(Http http, Path target) throws IOException {
        JsonNode job;
        long jobNanos;
        long downloadNanos;
        HeapPeak.Result heap;
        try (HeapPeak peak = HeapPeak.start()) {
            long t = System.nanoTime();
            String id = Jobs.start(http, "export", Map.of("target", "xlsx"));
            Map<String, Double> steps = follow(http, id, t);
            jobNanos = System.nanoTime() - t;
            heap = peak.stop();
            job = Jobs.get(http, id);
            check("succeeded".equals(job.path("status").asString()), job);
            t = System.nanoTime();
            Http.Download file = http.download("/api/v1/operations/jobs/" + id + "/download");
            check(file.status() == 200, file);
            Files.write(target, file.body());
            downloadNanos = System.nanoTime() - t;
            System.out.printf("export %,d experiences: job (POST until succeeded) %.1f s, download %.1f s (%.1f MB); steps %s%n",
                    job.path("result_summary").path("experiences").asLong(), jobNanos / 1e9, downloadNanos / 1e9,
                    Files.size(target) / 1e6, steps);
        }
        System.out.printf("export job: %s%n", heap);
    }

    /** Polls the job until it ends; returns the second (from {@code start}) at which each progress step was first seen. */
    private static Map<String, Double> follow(Http http, String id, long start) {
        Map<String, Double> steps = new LinkedHashMap<>();
        Jobs.awaitUntil(http, id, Duration.ofMinutes(15), job -> {
            String step = job.path("progress").path("step").asString("");
            if (!step.isEmpty()) {
                steps.putIfAbsent(step, Math.round(seconds(start) * 10) / 10.0);
            }
            return Jobs.FINISHED.contains(job.path("status").asString());
        }, "finish");
        return steps;
    }

    private static java.io.InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void check(boolean ok, Object what) {
        if (!ok) {
            throw new IllegalStateException(String.valueOf(what));
        }
    }
}
