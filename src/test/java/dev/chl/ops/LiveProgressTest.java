package dev.chl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.OpsHarness;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A job that reports progress inside one long write transaction (as an import's apply does) shows that progress while
 * it runs — in the job, the job list, the last runs and the running jobs — not the step it had before the transaction.
 */
class LiveProgressTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void progressReportedInsideATransactionIsVisibleBeforeItCommits() throws Exception {
        try (OpsHarness h = new OpsHarness(0)) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            JobBody body = ctx -> {
                ctx.progress("checking rows", 0, 0);
                h.database.write(tx -> {
                    ctx.progress("applying", 1500, 2000);
                    inside.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
                return Map.of("ok", true);
            };
            Operations ops = h.operations(Clock.systemUTC(), List.of(new ScriptedJob(JobType.IMPORT, () -> body)));
            String id = (String) ops.start(OpsHarness.OPERATOR, JobType.IMPORT, Map.of()).get("job_id");
            assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
            try {
                assertThat(progress(ops.get(id))).containsEntry("step", "applying").containsEntry("done", 1500L)
                        .containsEntry("total", 2000L);
                assertThat(progress(ops.list(Map.of("type", "import")).getFirst())).containsEntry("step", "applying");
                assertThat(progress(ops.runningJobs().getFirst())).containsEntry("step", "applying");
                @SuppressWarnings("unchecked")
                Map<String, Object> last = (Map<String, Object>) ops.lastRuns().get("import");
                assertThat(progress(last)).containsEntry("step", "applying");
            } finally {
                release.countDown();
            }
            Map<String, Object> done = Await.until("the job to end", WAIT, () -> ops.get(id),
                    j -> JobStatus.fromWire("status", (String) j.get("status")).finished());
            assertThat(done.get("status")).isEqualTo("succeeded");
            assertThat(progress(done)).containsEntry("percent", 100);
        }
    }

    @Test
    void aJobWaitingForTheWriteLockToReportItsProgressDoesNotHoldUpItsViews() throws Exception {
        try (OpsHarness h = new OpsHarness(0)) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch report = new CountDownLatch(1);
            JobBody body = ctx -> {
                started.countDown();
                report.await(30, TimeUnit.SECONDS);
                Thread.sleep(600); // past the progress rows' throttle: this report writes one
                ctx.progress("copying", 1, 2); // and that write waits for the write lock another job holds
                return Map.of("ok", true);
            };
            Operations ops = h.operations(Clock.systemUTC(), List.of(new ScriptedJob(JobType.BACKUP, () -> body)));
            String id = (String) ops.start(OpsHarness.OPERATOR, JobType.BACKUP, Map.of()).get("job_id");
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread longTransaction = Thread.ofPlatform().start(() -> h.database.write(tx -> {
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            try {
                assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
                report.countDown();
                Thread.sleep(1500); // the job is now in its progress write, waiting for the lock
                Map<String, Object> seen = java.util.concurrent.CompletableFuture.supplyAsync(() -> ops.get(id))
                        .get(5, TimeUnit.SECONDS);
                assertThat(progress(seen)).containsEntry("step", "copying");
            } finally {
                release.countDown();
                longTransaction.join(30_000);
            }
            Await.until("the job to end", WAIT, () -> ops.get(id), j -> JobStatus.fromWire("status", (String) j.get("status")).finished());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> progress(Map<String, Object> job) {
        return (Map<String, Object>) job.get("progress");
    }
}
