package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.telemetry.EventBus;
import dev.chl.testing.ConsoleClient;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.ServerExtension;
import dev.chl.testing.SseClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /ui/events}, the console's live channel: a job that starts is announced as an event named {@code jobs}
 * carrying the bus's event id, and a browser that reconnects with {@code Last-Event-ID} is sent what it missed.
 */
@Timeout(120)
class ConsoleLiveEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static EventBus bus;

    @BeforeAll
    static void awaitIdle() {
        bus = server.server().app().services().events();
        OpsJobs.awaitIdle(server.http(), Duration.ofSeconds(60));
    }

    /** Opens the live channel as a page of the console does: with the session cookie that loading the page set. */
    private static SseClient connect(Long lastEventId) {
        ConsoleClient browser = server.console();
        browser.page("/workers");
        return SseClient.connect(server.baseUrl(), "/ui/events", lastEventId,
                Map.of("Cookie", ConsoleClient.SESSION_COOKIE + "=" + browser.cookie(ConsoleClient.SESSION_COOKIE)));
    }

    private static boolean isJobs(SseClient.Event e) {
        return e.event().equals("jobs");
    }

    /** Starts a backup from the Operations page, as its button does, and returns the job id. */
    private static String startBackupFromTheConsole() {
        ConsoleClient browser = server.console();
        browser.page("/operations");
        assertThat(browser.post("/ui/operations/backup", Map.of()).status()).isEqualTo(200);
        return server.http().get("/api/v1/operations/jobs?type=backup&limit=1").json().path("jobs").get(0).path("job_id").asString();
    }

    @Test
    void aJobThatStartsIsAnnouncedWithAnEventId() {
        try (SseClient live = connect(null)) {
            String job = startBackupFromTheConsole();

            SseClient.Event event = live.await("a jobs event", WAIT, ConsoleLiveEventsTest::isJobs);

            assertThat(event.id()).as("the id: line").isPositive();
            assertThat(event.data()).isEqualTo(Long.toString(event.id()));
            OpsJobs.awaitFinished(server.http(), job, WAIT);
        }
    }

    @Test
    void aBrowserResumingFromAnIdTheServerCannotReplayIsSentReset() {
        // Id 1: long before this process's first id (ids start from the clock), as after a restart.
        try (SseClient resumed = connect(1L)) {
            SseClient.Event reset = resumed.await("a reset event", WAIT, e -> e.event().equals("reset"));

            assertThat(resumed.events().getFirst()).isEqualTo(reset);
            assertThat(reset.id()).as("the id to resume from next time").isGreaterThan(1L);
        }
    }

    @Test
    void aBrowserThatReconnectsWithLastEventIdGetsWhatItMissed() {
        long lastSeen;
        try (SseClient live = connect(null)) {
            OpsJobs.awaitFinished(server.http(), startBackupFromTheConsole(), WAIT);
            lastSeen = live.await("a jobs event", WAIT, ConsoleLiveEventsTest::isJobs).id();
        }
        long beforeMissedJob = bus.lastId();
        OpsJobs.run(server.http(), "backup", Map.of());
        long beforeReconnect = bus.lastId();

        try (SseClient resumed = connect(lastSeen)) {
            SseClient.Event missed = resumed.await("the missed job's event", WAIT, e -> isJobs(e) && e.id() > beforeMissedJob);

            assertThat(missed.id()).as("replayed from before the reconnection, not a new event").isLessThanOrEqualTo(beforeReconnect);
        }
    }
}
