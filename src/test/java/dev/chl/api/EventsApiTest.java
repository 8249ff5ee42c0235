package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.telemetry.EventBus;
import dev.chl.testing.Await;
import dev.chl.testing.Http;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.ServerExtension;
import dev.chl.testing.SseClient;
import dev.chl.testing.TempDirs;
import dev.chl.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /api/v1/events} over real HTTP: a client that reconnects with Last-Event-ID receives every event it
 * missed exactly once and in order; a client that stops reading does not hold up the others or the publishers;
 * topics filter the stream; bad topics and ids are 422; a client resuming across a restart is told it missed events.
 */
@Timeout(120)
class EventsApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static EventBus bus;

    @BeforeAll
    static void awaitIdle() {
        bus = server.server().app().services().events();
        OpsJobs.awaitIdle(server.http(), Duration.ofSeconds(60));
    }

    private static SseClient connect(String query, Long lastEventId) {
        return SseClient.connect(server.baseUrl(), "/api/v1/events" + query, lastEventId);
    }

    /** Runs a backup job and waits until {@code clients} have all seen its final event; returns the job id. */
    private static String backupSeenBy(SseClient... clients) {
        String id = OpsJobs.run(server.http(), "backup", Map.of()).path("job_id").asString();
        for (SseClient c : clients) {
            c.await("job.succeeded of " + id, WAIT, e -> e.data().contains(id) && e.data().contains("\"status\":\"succeeded\""));
        }
        return id;
    }

    private static List<Long> ids(List<SseClient.Event> events) {
        return events.stream().map(SseClient.Event::id).toList();
    }

    @Test
    void aClientThatReconnectsWithLastEventIdGetsEveryMissedEventOnceAndInOrder() {
        try (SseClient reference = connect("?topics=jobs", null)) {
            List<SseClient.Event> firstPart;
            try (SseClient client = connect("?topics=jobs", null)) {
                backupSeenBy(reference, client);
                backupSeenBy(reference, client);
                firstPart = client.events();
            }
            long lastSeen = firstPart.getLast().id();
            String missed1 = backupSeenBy(reference);
            String missed2 = backupSeenBy(reference);

            try (SseClient resumed = connect("?topics=jobs", lastSeen)) {
                String missed1Final = "\"job_id\":\"" + missed1 + "\"";
                resumed.await("the replayed events of " + missed1, WAIT, e -> e.data().contains(missed1Final));
                String after = backupSeenBy(reference, resumed);

                List<SseClient.Event> all = new ArrayList<>(firstPart);
                all.addAll(resumed.events());
                List<SseClient.Event> expected = reference.events().stream()
                        .filter(e -> e.id() >= firstPart.getFirst().id() && e.id() <= resumed.lastId()).toList();
                assertThat(ids(all)).as("nothing lost, nothing repeated, in order").isEqualTo(ids(expected)).doesNotHaveDuplicates().isSorted();
                assertThat(all).isEqualTo(expected);
                assertThat(all).allSatisfy(e -> assertThat(e.event()).isEqualTo("jobs"));
                String joined = String.join("\n", resumed.events().stream().map(SseClient.Event::data).toList());
                assertThat(joined).contains(missed1).contains(missed2).contains(after);
                assertThat(resumed.events().getFirst().id()).as("replay starts right after the last id seen").isGreaterThan(lastSeen);
                assertThat(ids(resumed.events())).allSatisfy(id -> assertThat(id).isGreaterThan(lastSeen));
            }
        }
    }

    @Test
    void theLastEventIdMayAlsoComeAsAQueryParameter() {
        try (SseClient reference = connect("?topics=jobs", null)) {
            backupSeenBy(reference);
            long before = reference.lastId();
            String missed = backupSeenBy(reference);
            try (SseClient resumed = connect("?topics=jobs&last_event_id=" + before, null)) {
                resumed.await("replay of " + missed, WAIT, e -> e.data().contains(missed) && e.data().contains("succeeded"));
                assertThat(ids(resumed.events())).isEqualTo(ids(reference.events().stream().filter(e -> e.id() > before).toList()));
            }
        }
    }

    @Test
    void jobEventsCarryTheJobAndItsProgress() {
        try (SseClient client = connect("?topics=jobs", null)) {
            String id = backupSeenBy(client);
            List<SseClient.Event> mine = client.events().stream().filter(e -> e.data().contains(id)).toList();
            List<String> statuses = mine.stream().map(e -> e.json().path("status").asString()).filter(s -> !s.isEmpty()).toList();
            assertThat(statuses).containsSubsequence("queued", "running", "succeeded");
            assertThat(mine).anySatisfy(e -> {
                assertThat(e.json().has("percent")).isTrue();
                assertThat(e.json().path("job_type").asString()).isEqualTo("backup");
            });
        }
    }

    @Test
    void topicsFilterTheStream() {
        try (SseClient jobs = connect("?topics=jobs", null);
             SseClient queue = connect("?topics=queue", null);
             SseClient everything = connect("", null)) {
            String id = backupSeenBy(jobs, everything);
            // telemetry is sampled every few seconds on the queue and workers topics
            queue.await("a queue event", WAIT, e -> e.event().equals("queue"));
            everything.await("a queue event", WAIT, e -> e.event().equals("queue"));
            everything.await("a workers event", WAIT, e -> e.event().equals("workers"));
            assertThat(jobs.events()).allSatisfy(e -> assertThat(e.event()).isEqualTo("jobs"));
            assertThat(queue.events()).allSatisfy(e -> {
                assertThat(e.event()).isEqualTo("queue");
                assertThat(e.json().path("queue").has("pending")).isTrue();
            });
            assertThat(queue.events()).noneMatch(e -> e.data().contains(id));
            assertThat(everything.events()).extracting(SseClient.Event::event).contains("jobs", "queue", "workers");
        }
        try (SseClient two = connect("?topics=workers,%20jobs", null)) {
            backupSeenBy(two);
            two.await("a workers event", WAIT, e -> e.event().equals("workers"));
            assertThat(two.events()).extracting(SseClient.Event::event).doesNotContain("queue");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"?topics=logs", "?topics=jobs,logs", "?topics=JOBS", "?topics=,jobs", "?topics=,", "?topics=",
            "?topics=jobs,,queue", "?topics=jobs,"})
    void anUnknownOrEmptyTopicIs422(String query) {
        SseClient.Answer r = SseClient.probe(server.baseUrl(), "/api/v1/events" + query, Map.of());
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode problem = Http.JSON.readTree(r.body());
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo("topics");
        assertThat(problem.path("detail").asString()).contains("queue").contains("workers").contains("jobs");
    }

    @Test
    void aClientResumingWithAnIdFromBeforeARestartGetsAResetAndIdsKeepIncreasing() {
        TestServer other = TestServer.start();
        try {
            long lastSeen;
            try (SseClient before = SseClient.connect(other.baseUrl(), "/api/v1/events?topics=jobs", null)) {
                String job = OpsJobs.run(other.http(), "backup", Map.of()).path("job_id").asString();
                lastSeen = before.await("the backup's last event", WAIT, e -> e.data().contains(job) && e.data().contains("succeeded")).id();
            }
            other.restart();

            try (SseClient resumed = SseClient.connect(other.baseUrl(), "/api/v1/events?topics=jobs", lastSeen)) {
                SseClient.Event reset = resumed.await("a reset", WAIT, e -> e.event().equals("reset"));
                assertThat(resumed.events().getFirst()).as("the reset comes first").isEqualTo(reset);
                assertThat(reset.json().path("missed").asBoolean()).isTrue();
                assertThat(reset.json().path("reason").asString()).contains("not from this server process");
                assertThat(reset.id()).as("ids go on increasing across the restart").isGreaterThan(lastSeen);

                String job = OpsJobs.run(other.http(), "backup", Map.of()).path("job_id").asString();
                resumed.await("the new backup's events", WAIT, e -> e.data().contains(job) && e.data().contains("succeeded"));
                assertThat(ids(resumed.events())).isSorted().allMatch(id -> id > lastSeen);
            }
        } finally {
            other.close();
            TempDirs.deleteQuietly(other.dataDir());
        }
    }

    @Test
    void aLastEventIdThatIsNotANumberIs422() {
        SseClient.Answer r = SseClient.probe(server.baseUrl(), "/api/v1/events?topics=jobs", Map.of("Last-Event-ID", "abc"));
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aClientThatDoesNotAcceptAnEventStreamIsToldWhatToSend() {
        // curl's default Accept is */*; Javalin alone would answer it (or no Accept at all) an empty 200, which reads as
        // "no events".
        for (Map<String, String> headers : List.of(Map.of("Accept", "*/*"), Map.<String, String>of())) {
            Http.Response r = server.http().get("/api/v1/events?topics=jobs", headers);
            assertThat(r.status()).as("%s: %s", headers, r).isEqualTo(406);
            assertThat(r.isProblem()).isTrue();
            assertThat(r.json().path("detail").asString()).contains("Accept: text/event-stream");
        }
    }

    @Test
    void aStalledClientDoesNotSlowTheOthersOrThePublisher() throws Exception {
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", server.server().app().port()), 5000);
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/v1/events?topics=jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // never read from it until the end
            long lastFiller;

            try (SseClient reader = connect("?topics=jobs", null)) {
                long firstId = bus.lastId() + 1;
                String pad = "p".repeat(4000);
                long slowestPublish = 0;
                long slowestDelivery = 0;
                int total = 3000;
                for (int i = 0; i < total; i++) {
                    long t0 = System.nanoTime();
                    bus.publish("jobs", "test.filler", Map.of("n", i, "pad", pad));
                    slowestPublish = Math.max(slowestPublish, System.nanoTime() - t0);
                    if (i % 100 == 99) {
                        long sent = bus.lastId();
                        long t1 = System.nanoTime();
                        Await.until("the reading client to receive event " + sent, Duration.ofSeconds(10), () -> reader.lastId() >= sent);
                        slowestDelivery = Math.max(slowestDelivery, System.nanoTime() - t1);
                    }
                }
                assertThat(slowestPublish).as("a publish never waits for a client").isLessThan(200_000_000L);
                assertThat(slowestDelivery).as("the reading client is served promptly").isLessThan(3_000_000_000L);
                List<Long> got = ids(reader.events().stream().filter(e -> e.id() >= firstId).toList());
                assertThat(got).hasSize(total);
                assertThat(got.getFirst()).isEqualTo(firstId);
                assertThat(got.getLast()).isEqualTo(firstId + total - 1);
                lastFiller = got.getLast();

                // a job still runs to completion and its events reach the reading client
                backupSeenBy(reader);
            }

            // The stalled client, once it reads, gets an in-order prefix and then the server ends its stream (cut off).
            stalled.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8));
            List<Long> stalledIds = new ArrayList<>();
            long readStart = System.nanoTime();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("id:")) {
                    stalledIds.add(Long.parseLong(line.substring(3).strip()));
                }
            }
            long readMs = (System.nanoTime() - readStart) / 1_000_000;
            assertThat(stalledIds).isNotEmpty().isSorted().doesNotHaveDuplicates();
            assertThat(stalledIds.getLast() - stalledIds.getFirst() + 1).as("contiguous").isEqualTo(stalledIds.size());
            assertThat(stalledIds.size()).as("cut off well before the end").isLessThan(3000);
            assertThat(readMs).as("the cut-off client's stream ends soon after it drained").isLessThan(5_000);

            // Reconnecting with the last id it saw, again after each cut-off, it catches up: every event once, in order.
            List<Long> caughtUp = new ArrayList<>(stalledIds);
            for (int attempt = 0; attempt < 10 && caughtUp.getLast() < lastFiller; attempt++) {
                try (SseClient again = connect("?topics=jobs", caughtUp.getLast())) {
                    Await.until("the replay to end or reach the last filler", WAIT,
                            () -> again.ended() || again.lastId() >= lastFiller);
                    caughtUp.addAll(ids(again.events()));
                }
            }
            assertThat(caughtUp.getLast()).isGreaterThanOrEqualTo(lastFiller);
            assertThat(caughtUp).doesNotHaveDuplicates().isSorted();
            assertThat(caughtUp.getLast() - caughtUp.getFirst() + 1).as("no gap").isEqualTo(caughtUp.size());
        }
    }
}
