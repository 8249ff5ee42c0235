package dev.chl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.OpsHarness;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job that made its work permanent and then failed or was stopped ends succeeded with its summary: that work stands. */
class CommittedJobTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static JobBody commitsThen(dev.chl.store.Database database, Runnable after) {
        return ctx -> {
            database.write(tx -> {
                ctx.committed(tx, Map.of("applied", true, "backup", "chl-20260101-000000-000.db"));
                return null;
            });
            after.run();
            return Map.of("applied", true);
        };
    }

    @Test
    void aFailureAfterTheCommitKeepsTheCommittedSummary() {
        try (OpsHarness h = new OpsHarness(0)) {
            JobBody body = commitsThen(h.database, () -> {
                throw new IllegalStateException("the index could not catch up");
            });
            Operations ops = h.operations(Clock.systemUTC(), List.of(new ScriptedJob(JobType.IMPORT, () -> body)));
            String id = (String) ops.start(OpsHarness.OPERATOR, JobType.IMPORT, Map.of()).get("job_id");
            Map<String, Object> done = Await.until("the job to end", WAIT, () -> ops.get(id),
                    j -> JobStatus.fromWire("status", (String) j.get("status")).finished());
            assertThat(done.get("status")).as("%s", done).isEqualTo("succeeded");
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = (Map<String, Object>) done.get("result_summary");
            assertThat(summary).containsEntry("backup", "chl-20260101-000000-000.db");
            assertThat((String) summary.get("interrupted_after_commit")).contains("the index could not catch up").contains("saved");
        }
    }

    @Test
    void aJobThatNeverCommittedStillFails() {
        try (OpsHarness h = new OpsHarness(0)) {
            JobBody body = ctx -> {
                throw new IllegalStateException("broken before anything was saved");
            };
            Operations ops = h.operations(Clock.systemUTC(), List.of(new ScriptedJob(JobType.IMPORT, () -> body)));
            String id = (String) ops.start(OpsHarness.OPERATOR, JobType.IMPORT, Map.of()).get("job_id");
            Map<String, Object> done = Await.until("the job to end", WAIT, () -> ops.get(id),
                    j -> JobStatus.fromWire("status", (String) j.get("status")).finished());
            assertThat(done.get("status")).isEqualTo("failed");
            assertThat(done.get("result_summary")).isNull();
        }
    }
}
