package dev.chl.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.http.JsonBodies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The in-process live channel: increasing ids (also across restarts), replay after a Last-Event-ID exactly once and
 * in order (also while publishers race the subscribe), topic filters, a bounded replay buffer with a reset for ids it
 * cannot serve, and a subscriber that never drains is cut off once its queue is full while the publisher and the
 * other subscribers carry on. Most tests use a bus whose ids start at 1, to keep them readable.
 */
class EventBusTest {
    private final EventBus bus = new EventBus(JsonBodies.appJson(), 1);

    private static List<Long> ids(List<EventBus.Event> events) {
        return events.stream().map(EventBus.Event::id).toList();
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        List<Long> ids = new ArrayList<>();
        for (long i = fromInclusive; i <= toInclusive; i++) {
            ids.add(i);
        }
        return ids;
    }

    @Test
    void idsIncreaseByOneFromOneAndLastIdIsTheNewest() {
        assertThat(bus.lastId()).isZero();
        try (EventBus.Subscription s = bus.subscribe(Set.of("jobs", "queue"), 0)) {
            bus.publish("jobs", "job.queued", Map.of("n", 1));
            bus.publish("queue", "queue", Map.of("n", 2));
            bus.publish("jobs", "job.running", Map.of("n", 3));
            List<EventBus.Event> events = s.drain();
            assertThat(ids(events)).containsExactly(1L, 2L, 3L);
            assertThat(events).extracting(EventBus.Event::topic).containsExactly("jobs", "queue", "jobs");
            assertThat(events).extracting(EventBus.Event::type).containsExactly("job.queued", "queue", "job.running");
            assertThat(events.getFirst().data()).isEqualTo("{\"n\":1}");
        }
        assertThat(bus.lastId()).isEqualTo(3);
    }

    @Test
    void aSubscriberWithALastEventIdGetsWhatItMissedOnceInOrderThenNewEvents() {
        for (int i = 1; i <= 10; i++) {
            bus.publish("jobs", "e", Map.of("n", i));
        }
        try (EventBus.Subscription s = bus.subscribe(Set.of("jobs"), 6)) {
            bus.publish("jobs", "e", Map.of("n", 11));
            assertThat(ids(s.drain())).containsExactly(7L, 8L, 9L, 10L, 11L);
            assertThat(s.drain()).isEmpty();
        }
        try (EventBus.Subscription fresh = bus.subscribe(Set.of("jobs"), Long.MAX_VALUE)) {
            assertThat(fresh.drain()).as("no Last-Event-ID: nothing replayed").isEmpty();
            bus.publish("jobs", "e", Map.of("n", 12));
            assertThat(ids(fresh.drain())).containsExactly(12L);
        }
        try (EventBus.Subscription caughtUp = bus.subscribe(Set.of("jobs"), bus.lastId())) {
            assertThat(caughtUp.drain()).isEmpty();
        }
    }

    @Test
    void topicsFilterLiveAndReplayedEvents() {
        bus.publish("queue", "queue", Map.of());
        bus.publish("jobs", "job.queued", Map.of());
        bus.publish("workers", "workers", Map.of());
        try (EventBus.Subscription jobs = bus.subscribe(Set.of("jobs"), 0);
             EventBus.Subscription telemetry = bus.subscribe(Set.of("queue", "workers"), 0)) {
            bus.publish("workers", "workers", Map.of());
            bus.publish("jobs", "job.running", Map.of());
            assertThat(jobs.drain()).extracting(EventBus.Event::topic).containsExactly("jobs", "jobs");
            assertThat(telemetry.drain()).extracting(EventBus.Event::topic).containsExactly("queue", "workers", "workers");
        }
    }

    @Test
    void replayIsBoundedToTheNewestEvents() {
        int extra = 100;
        for (int i = 0; i < EventBus.REPLAY + extra; i++) {
            bus.publish("jobs", "e", Map.of());
        }
        try (EventBus.Subscription s = bus.subscribe(Set.of("jobs"), EventBus.REPLAY + extra - 10)) {
            assertThat(ids(s.drain())).isEqualTo(range(EventBus.REPLAY + extra - 9, EventBus.REPLAY + extra));
        }
        try (EventBus.Subscription oldest = bus.subscribe(Set.of("jobs"), extra)) {
            List<EventBus.Event> got = oldest.drain();
            assertThat(got).isNotEmpty();
            assertThat(got.getFirst().id()).as("older events have left the buffer").isEqualTo(extra + 1);
            assertThat(ids(got)).isEqualTo(range(extra + 1, extra + got.size()));
        }
    }

    @Test
    void aLastEventIdOlderThanTheBufferGetsAResetInsteadOfASilentGap() {
        int extra = 100;
        for (int i = 0; i < EventBus.REPLAY + extra; i++) {
            bus.publish("jobs", "e", Map.of());
        }
        try (EventBus.Subscription old = bus.subscribe(Set.of("jobs"), extra - 1)) {
            List<EventBus.Event> got = old.drain();
            assertThat(got).hasSize(1);
            EventBus.Event reset = got.getFirst();
            assertThat(reset.topic()).isEqualTo(EventBus.RESET);
            assertThat(reset.type()).isEqualTo(EventBus.RESET);
            assertThat(reset.id()).as("the newest id: resuming from it misses nothing more").isEqualTo(bus.lastId());
            assertThat(reset.data()).contains("\"missed\":true").contains("\"last_event_id\":" + (extra - 1))
                    .contains("\"oldest_event_id\":" + (extra + 1)).contains("older than the oldest event still buffered");
            bus.publish("jobs", "e", Map.of());
            assertThat(ids(old.drain())).as("then new events").containsExactly(bus.lastId());
        }
        try (EventBus.Subscription resumed = bus.subscribe(Set.of("jobs"), bus.lastId())) {
            assertThat(resumed.drain()).as("resuming from the newest id: no reset").isEmpty();
        }
    }

    @Test
    void idsContinueAcrossRestartsAndAnIdFromAnEarlierProcessGetsAReset() throws InterruptedException {
        EventBus before = new EventBus(JsonBodies.appJson());
        for (int i = 0; i < 50; i++) {
            before.publish("jobs", "e", Map.of());
        }
        long lastSeen = before.lastId();
        Thread.sleep(2);
        EventBus after = new EventBus(JsonBodies.appJson());
        assertThat(after.lastId()).as("a restarted bus starts above the old one's ids").isGreaterThan(lastSeen);
        assertThat(after.lastId()).as("exact as a JavaScript number").isLessThan(1L << 53);

        try (EventBus.Subscription workers = after.subscribe(Set.of("workers"), lastSeen)) {
            List<EventBus.Event> got = workers.drain();
            assertThat(got).extracting(EventBus.Event::topic).as("a reset whatever the topics").containsExactly(EventBus.RESET);
            assertThat(got.getFirst().data()).contains("not from this server process");
            after.publish("workers", "workers", Map.of());
            List<EventBus.Event> next = workers.drain();
            assertThat(ids(next)).containsExactly(after.lastId());
            assertThat(next.getFirst().id()).isGreaterThan(got.getFirst().id()).isGreaterThan(lastSeen);
        }
        try (EventBus.Subscription future = after.subscribe(Set.of("jobs"), after.lastId() + 1_000)) {
            assertThat(future.drain()).extracting(EventBus.Event::topic).as("an id this process never sent")
                    .containsExactly(EventBus.RESET);
        }
    }

    @Test
    void aFreshBusResumedFromItsFirstIdLessOneNeedsNoReset() {
        EventBus fresh = new EventBus(JsonBodies.appJson(), 1_000);
        try (EventBus.Subscription s = fresh.subscribe(Set.of("jobs"), fresh.lastId())) {
            assertThat(s.drain()).isEmpty();
            fresh.publish("jobs", "e", Map.of());
            assertThat(ids(s.drain())).containsExactly(1_000L);
        }
    }

    @Test
    void subscribingWhilePublishersRunLosesAndRepeatsNothing() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            publishers.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    bus.publish("jobs", "e", Map.of());
                }
            }));
        }
        try {
            for (int round = 0; round < 50; round++) {
                while (bus.lastId() < 20L * (round + 1)) {
                    Thread.onSpinWait();
                }
                long last = Math.max(0, bus.lastId() - 15);
                try (EventBus.Subscription s = bus.subscribe(Set.of("jobs"), last)) {
                    List<EventBus.Event> got = new ArrayList<>();
                    while (got.size() < 200) {
                        EventBus.Event e = s.next(5_000);
                        assertThat(e).as("events keep coming").isNotNull();
                        got.add(e);
                    }
                    assertThat(ids(got)).as("round %d after %d", round, last).isEqualTo(range(last + 1, last + 200));
                }
            }
        } finally {
            stop.set(true);
            for (Thread t : publishers) {
                t.join();
            }
        }
    }

    @Test
    void aSubscriberThatNeverDrainsIsCutOffWhileThePublisherAndOthersCarryOn() throws Exception {
        int total = EventBus.SUBSCRIBER_QUEUE * 3;
        try (EventBus.Subscription stalled = bus.subscribe(Set.of("jobs"), Long.MAX_VALUE);
             EventBus.Subscription reader = bus.subscribe(Set.of("jobs"), Long.MAX_VALUE)) {
            List<EventBus.Event> read = new ArrayList<>();
            AtomicLong slowestPublishNanos = new AtomicLong();
            String pad = "x".repeat(512);
            for (int i = 0; i < total; i++) {
                long t0 = System.nanoTime();
                bus.publish("jobs", "filler", Map.of("n", i, "pad", pad));
                slowestPublishNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                if (i % 100 == 99) {
                    read.addAll(reader.drain());
                }
            }
            read.addAll(reader.drain());
            assertThat(ids(read)).as("the reading subscriber got every event in order").isEqualTo(range(1, total));
            assertThat(slowestPublishNanos.get()).as("publishing never waits for a subscriber").isLessThan(200_000_000L);

            assertThat(stalled.overflowed()).as("not reported until it has drained what it holds").isFalse();
            List<EventBus.Event> held = stalled.drain();
            assertThat(ids(held)).as("it keeps the events up to its bound, in order").isEqualTo(range(1, EventBus.SUBSCRIBER_QUEUE));
            assertThat(stalled.overflowed()).isTrue();
            bus.publish("jobs", "after", Map.of());
            assertThat(stalled.drain()).as("cut off: it receives nothing more").isEmpty();
            assertThat(ids(reader.drain())).containsExactly((long) total + 1);

            try (EventBus.Subscription reconnected = bus.subscribe(Set.of("jobs"), held.getLast().id())) {
                List<EventBus.Event> replayed = reconnected.drain();
                assertThat(ids(replayed)).as("a reconnect with its last id resumes where it stopped")
                        .isEqualTo(range(EventBus.SUBSCRIBER_QUEUE + 1, 2L * EventBus.SUBSCRIBER_QUEUE));
            }
        }
    }

    @Test
    void aClosedSubscriptionReceivesNothingMore() {
        EventBus.Subscription s = bus.subscribe(Set.of("jobs"), Long.MAX_VALUE);
        bus.publish("jobs", "e", Map.of());
        s.close();
        bus.publish("jobs", "e", Map.of());
        assertThat(ids(s.drain())).containsExactly(1L);
    }
}
