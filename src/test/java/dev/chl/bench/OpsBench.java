package dev.chl.bench;

import dev.chl.app.App;
import dev.chl.app.Config;
import dev.chl.testing.TempDirs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operations benchmarks over real HTTP on 127.0.0.1:
 * <pre>
 *   ./bench ops-start        job start latency: POST /operations/backup until the job row says running (p50)
 *   ./bench sse CLIENTS N [ROUNDS]
 *                            SSE fan-out: CLIENTS event-stream clients while the workers embed N entries; event delivery
 *                            latency p99 and the embedding throughput with and without the clients. ROUNDS (default 1)
 *                            pairs of runs, ordered alone/with, with/alone, … so a drift of the machine over the
 *                            benchmark falls on both sides; the drop is taken from the summed times of each side.
 *   ./bench sse-cost CLIENTS EVENTS
 *                            CPU time of this JVM (server and clients) per event delivered to each of CLIENTS listeners,
 *                            EVENTS events published in bursts of 4 every 10 ms (as a job's queued/running/progress events come) and
 *                            nothing else running: the fan-out's own cost, without the noise of the embedding runs
 * </pre>
 */
public final class OpsBench {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ops-start" -> jobStart();
            case "sse-cost" -> sseCost(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "sse" -> sse(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 1);
            default -> throw new IllegalArgumentException("modes: ops-start, sse CLIENTS N");
        }
        System.exit(0); // a benchmark ends when it has printed its numbers
    }

    private static void jobStart() throws Exception {
        Path dir = BenchData.tempDir("chl-bench-ops-");
        BenchData.fill(dir, 1000, true);
        try (App app = App.start(new Config(dir, "127.0.0.1", 0, null), Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + app.port() + "/api/v1/operations";
            waitForNoJobs(app);
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                long t = System.nanoTime();
                JsonNode job = post(base + "/embeddings-sync");
                String id = job.path("job_id").asString();
                while (true) {
                    String status = JSON.readTree(get(base + "/jobs/" + id)).path("status").asString();
                    if (!status.equals("queued")) {
                        break;
                    }
                    Thread.onSpinWait();
                }
                long elapsed = System.nanoTime() - t;
                if (i >= 10) latencies.add(elapsed);
                while (!JSON.readTree(get(base + "/jobs/" + id)).path("finished_at").isString()) {
                    Thread.sleep(5);
                }
            }
            System.out.printf("job start (POST until running, polled over HTTP): %s%n", BenchData.percentiles(latencies));
        } finally {
            TempDirs.deleteQuietly(dir);
        }
    }

    private static void sse(int clients, int entries, int rounds) throws Exception {
        List<Long> delays = Collections.synchronizedList(new ArrayList<>());
        double aloneSeconds = 0;
        double withSeconds = 0;
        for (int round = 1; round <= rounds; round++) {
            boolean aloneFirst = round % 2 == 1;
            double first = embedRun(aloneFirst ? 0 : clients, entries, aloneFirst ? null : delays);
            double second = embedRun(aloneFirst ? clients : 0, entries, aloneFirst ? delays : null);
            double alone = aloneFirst ? first : second;
            double withClients = aloneFirst ? second : first;
            aloneSeconds += entries / alone;
            withSeconds += entries / withClients;
            System.out.printf("round %d (%s first): %.0f entries/s alone, %.0f with %d SSE clients (drop %.1f%%)%n", round,
                    aloneFirst ? "alone" : "clients", alone, withClients, clients, 100 * (1 - withClients / alone));
        }
        System.out.printf("embedding %d entries × %d rounds: %.0f entries/s alone, %.0f entries/s with %d SSE clients (drop %.1f%%)%n",
                entries, rounds, rounds * entries / aloneSeconds, rounds * entries / withSeconds, clients, 100 * (1 - aloneSeconds / withSeconds));
        System.out.printf("SSE event delivery to %d clients (%d events received): %s%n", clients, delays.size(), BenchData.percentiles(delays));
    }

    private static void sseCost(int clients, int events) throws Exception {
        Path dir = BenchData.tempDir("chl-bench-sse-cost-");
        try (App app = App.start(new Config(dir, "127.0.0.1", 0, null), Clock.systemUTC())) {
            waitForNoJobs(app);
            app.services().workers().pauseAll(new dev.chl.model.Actor("bench", dev.chl.model.Channel.API));
            String url = "http://127.0.0.1:" + app.port() + "/api/v1/events?topics=jobs";
            java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
            CountDownLatch connected = new CountDownLatch(clients);
            AtomicBoolean stop = new AtomicBoolean();
            for (int c = 0; c < clients; c++) {
                Thread.ofVirtual().start(() -> listen(url, connected, stop, data -> received.incrementAndGet()));
            }
            connected.await();
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            for (int warm = 0; warm < 2; warm++) {
                received.set(0);
                long cpu = os.getProcessCpuTime();
                long t = System.nanoTime();
                for (int i = 0; i < events; i++) {
                    app.services().events().publish("jobs", "job.progress", java.util.Map.of("job_id", "bench", "seq", i,
                            "progress", java.util.Map.of("done", i, "total", events, "message", "a typical progress line")));
                    if (i % 4 == 3) {
                        Thread.sleep(10);
                    }
                }
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (received.get() < (long) clients * events && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                if (received.get() < (long) clients * events) {
                    System.out.printf("only %d of %d deliveries: listeners that fell behind were cut off%n", received.get(), (long) clients * events);
                }
                double cpuMicros = (os.getProcessCpuTime() - cpu) / 1e3;
                System.out.printf("%s: %d events to %d clients in %.1f s, CPU %.1f µs per delivered event%n", warm == 0 ? "warm-up" : "measured",
                        events, clients, (System.nanoTime() - t) / 1e9, cpuMicros / ((double) clients * events));
            }
            stop.set(true);
        } finally {
            TempDirs.deleteQuietly(dir);
        }
    }

    /** Embeds {@code entries} pending rows with 1 worker while {@code clients} SSE clients listen; returns entries/s. */
    private static double embedRun(int clients, int entries, List<Long> delays) throws Exception {
        Path dir = BenchData.tempDir("chl-bench-sse-");
        BenchData.fill(dir, entries, false);
        try (App app = App.start(new Config(dir, "127.0.0.1", 0, null), Clock.systemUTC())) {
            app.services().workers().pauseAll(new dev.chl.model.Actor("bench", dev.chl.model.Channel.API));
            waitForNoJobs(app);
            String url = "http://127.0.0.1:" + app.port() + "/api/v1/events?topics=queue,workers,jobs";
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch connected = new CountDownLatch(clients);
            List<Thread> readers = new ArrayList<>();
            java.util.function.Consumer<String> onData = delays == null ? data -> { } : data -> timeQueuedEvents(data, delays);
            for (int c = 0; c < clients; c++) {
                readers.add(Thread.ofVirtual().start(() -> listen(url, connected, stop, onData)));
            }
            connected.await();
            // A steady stream of job events: a backup every 200 ms while the workers embed.
            Thread publisher = Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    try {
                        post("http://127.0.0.1:" + app.port() + "/api/v1/operations/backup");
                        Thread.sleep(200);
                    } catch (Exception ignored) {
                        // a 409 while the previous backup still runs is fine
                    }
                }
            });
            long t = System.nanoTime();
            app.services().workers().resumeAll(new dev.chl.model.Actor("bench", dev.chl.model.Channel.API));
            while (app.services().workers().queue().pending() > 0) {
                Thread.sleep(50);
            }
            double rate = entries / ((System.nanoTime() - t) / 1e9);
            stop.set(true);
            publisher.join();
            return rate;
        } finally {
            TempDirs.deleteQuietly(dir);
        }
    }

    /** Reads a stream line by line until {@code stop}, handing each {@code data:} line's value to {@code onData}. */
    private static void listen(String url, CountDownLatch connected, AtomicBoolean stop, java.util.function.Consumer<String> onData) {
        try {
            HttpResponse<java.io.InputStream> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                connected.countDown();
                String line;
                while (!stop.get() && (line = in.readLine()) != null) {
                    if (line.startsWith("data: ")) {
                        onData.accept(line.substring(6));
                    }
                }
            }
        } catch (Exception e) {
            connected.countDown();
        }
    }

    /**
     * Records how long a job's "queued" event took to arrive. Every event is read; only those are parsed: the clients
     * share the server's two cores, and parsing 200 copies of every event measured the clients more than the server.
     */
    private static void timeQueuedEvents(String data, List<Long> delays) {
        if (!data.contains("\"queued\"")) {
            return;
        }
        JsonNode event = JSON.readTree(data);
        if (event.path("created_at").isString() && event.path("status").asString().equals("queued")) {
            delays.add((System.currentTimeMillis() - java.time.Instant.parse(event.path("created_at").asString()).toEpochMilli()) * 1_000_000L);
        }
    }

    private static void waitForNoJobs(App app) throws InterruptedException {
        while (!app.services().operations().runningJobs().isEmpty()) {
            Thread.sleep(50);
        }
    }

    private static JsonNode post(String url) throws Exception {
        return JSON.readTree(CLIENT.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
