package dev.chl.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.http.JsonBodies;
import dev.chl.testing.Http;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.SseClient;
import dev.chl.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Telemetry sampling: each tick publishes the queue and the workers; the interval is the operations setting. */
class TelemetryPublisherTest {
    @Test
    void eachTickPublishesTheQueueAndTheWorkersOnTheirTopics() {
        EventBus bus = new EventBus(JsonBodies.appJson());
        Map<String, Object> snapshot = Map.of("at", "2026-01-01T00:00:00.000Z", "queue", Map.of("pending", 3, "failed", 1),
                "workers", List.of(Map.of("id", "worker-1", "status", "idle")), "jobs", Map.of("running", List.of()));
        try (EventBus.Subscription s = bus.subscribe(Set.of("queue", "workers", "jobs"), Long.MAX_VALUE)) {
            new TelemetryPublisher(bus, () -> snapshot, new QueueHistory()).run();
            List<EventBus.Event> events = s.drain();
            assertThat(events).extracting(EventBus.Event::topic).containsExactly("queue", "workers");
            assertThat(events.get(0).data()).contains("\"pending\":3").contains("\"at\":\"2026-01-01T00:00:00.000Z\"");
            assertThat(events.get(1).data()).contains("worker-1");
        }
    }

    @Test
    @Timeout(120)
    void theTelemetryIntervalSettingPacesTheQueueEvents() {
        try (TestServer server = TestServer.start()) {
            Http http = server.http();
            Http.Response set = http.put("/api/v1/settings/operations", Map.of("telemetry_interval_seconds", 1));
            assertThat(set.status()).as("%s", set).isEqualTo(200);
            assertThat(set.json().path("telemetry_interval_seconds").asInt()).isEqualTo(1);
            assertThat(http.put("/api/v1/settings/operations", Map.of("telemetry_interval_seconds", 0)).status()).isEqualTo(422);
            assertThat(http.put("/api/v1/settings/operations", Map.of("job_timeout_seconds", 0)).status()).isEqualTo(422);
            assertThat(http.put("/api/v1/settings/operations", Map.of("interval", 1)).status()).isEqualTo(422);
            // The scheduler takes the interval when the server starts.
            server.restart();
            OpsJobs.awaitIdle(server.http(), Duration.ofSeconds(60));
            try (SseClient queue = SseClient.connect(server.baseUrl(), "/api/v1/events?topics=queue", null)) {
                long start = System.nanoTime();
                queue.await("four queue events", Duration.ofSeconds(30), e -> queue.events().size() >= 4);
                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                assertThat(seconds).as("a 1 s interval, not the default 5 s").isLessThan(8);
            }
        }
    }
}
