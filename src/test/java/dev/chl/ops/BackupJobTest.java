package dev.chl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.BulkRows;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.OpsHarness;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.ServerExtension;
import dev.chl.testing.Sqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The backup job takes an online, consistent copy while writes go on: the copy opens with plain JDBC, passes
 * {@code PRAGMA integrity_check}, holds every entry committed before the backup started, and is a snapshot (the
 * writer's entries in it are exactly a prefix of what it wrote, one after another).
 */
class BackupJobTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static String category;
    private static List<String> bulk;

    @BeforeAll
    static void library() {
        OpsJobs.awaitIdle(server.http(), WAIT);
        category = Fixtures.newCategory(server.http());
        // A database of some size, so the copy takes a while (rows "embedded" without vectors: no work for the workers).
        bulk = BulkRows.insertExperiences(server.server().databaseFile(), category, "B", 15_000, "embedded");
    }

    /** A writer creating entries one after another through the API; records each id once its 201 came back. */
    private static final class Writer implements Runnable {
        final List<String> committed = new CopyOnWriteArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        volatile Throwable failure;

        @Override
        public void run() {
            try {
                for (int i = 0; !stop.get(); i++) {
                    Http.Response r = server.http().post("/api/v1/experiences", Fixtures.experience(category, "written during backup " + i));
                    if (r.status() != 201) {
                        throw new AssertionError("create failed: " + r);
                    }
                    committed.add(r.json().path("entry").path("id").asString());
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    private static List<Map<String, Object>> query(Path file, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath() + "?open_mode=1");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    @Test
    void aBackupTakenWhileWritesGoOnIsAConsistentCopyWithEveryRowCommittedBeforeIt() throws Exception {
        Writer writer = new Writer();
        Thread thread = Thread.ofPlatform().name("backup-test-writer").start(writer);
        try {
            while (writer.committed.size() < 5 && writer.failure == null) {
                Thread.sleep(10);
            }
            List<String> committedBeforeStart = List.copyOf(writer.committed);
            String id = OpsJobs.start(server.http(), "backup", Map.of());
            JsonNode done = OpsJobs.awaitStatus(server.http(), id, "succeeded", WAIT);
            int committedAtFinish = writer.committed.size();
            // keep writing a little after the backup finished, so writes clearly surrounded it
            long until = writer.committed.size() + 3;
            while (writer.committed.size() < until && writer.failure == null) {
                Thread.sleep(10);
            }
            writer.stop.set(true);
            thread.join(Duration.ofSeconds(30));
            assertThat(writer.failure).isNull();

            Path file = Path.of(done.path("result_summary").path("file").asString());
            assertThat(file.getParent()).isEqualTo(server.server().dataDir().resolve("backups"));
            assertThat(Files.size(file)).isEqualTo(done.path("result_summary").path("size_bytes").asLong());
            try (Stream<Path> files = Files.list(file.getParent())) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
            }

            assertThat(query(file, "PRAGMA integrity_check")).singleElement().extracting(r -> r.values().iterator().next()).isEqualTo("ok");
            assertThat(query(file, "PRAGMA foreign_key_check")).isEmpty();
            // The summary counts what the file holds, not the live database after the copy (which the writer grew).
            assertThat(done.path("result_summary").path("experiences").asLong()).as("%s", done.path("result_summary"))
                    .isEqualTo(((Number) query(file, "SELECT count(*) AS n FROM experiences").getFirst().get("n")).longValue());
            assertThat(done.path("result_summary").path("manuals").asLong())
                    .isEqualTo(((Number) query(file, "SELECT count(*) AS n FROM manuals").getFirst().get("n")).longValue());

            Set<String> inCopy = new HashSet<>();
            for (Map<String, Object> row : query(file, "SELECT id FROM experiences WHERE category_code = '" + category + "'")) {
                inCopy.add((String) row.get("id"));
            }
            assertThat(inCopy).containsAll(bulk);
            assertThat(inCopy).as("every entry committed before the backup started").containsAll(committedBeforeStart);

            List<String> written = List.copyOf(writer.committed);
            List<String> writtenInCopy = written.stream().filter(inCopy::contains).toList();
            assertThat(writtenInCopy).as("a snapshot: a prefix of the writer's sequence").isEqualTo(written.subList(0, writtenInCopy.size()));
            assertThat(writtenInCopy.size()).isBetween(committedBeforeStart.size(), committedAtFinish + 1);
            assertThat(written.size()).as("writes went on after the copy").isGreaterThan(writtenInCopy.size());

            // the rows in the copy are the rows of the live database
            Sqlite live = server.db();
            String sample = committedBeforeStart.getLast();
            Map<String, Object> copied = query(file, "SELECT id, category_code, title, playbook, created_at FROM experiences WHERE id = '" + sample + "'").getFirst();
            assertThat(copied).isEqualTo(live.rows("SELECT id, category_code, title, playbook, created_at FROM experiences WHERE id = ?", sample).getFirst());
            long categories = ((Number) query(file, "SELECT count(*) AS n FROM categories").getFirst().get("n")).longValue();
            assertThat(categories).isEqualTo(live.count("SELECT count(*) FROM categories"));
            assertThat(query(file, "SELECT job_id FROM job_history WHERE job_id = '" + id + "'"))
                    .as("the backup's own job row was committed before the copy").hasSize(1);
            // Restored, the copy must not show its own job running (then "interrupted by restart, run it again").
            assertThat(query(file, "SELECT status, result_summary FROM job_history WHERE job_id = '" + id + "'").getFirst())
                    .containsEntry("status", "succeeded").extractingByKey("result_summary").asString().contains(file.getFileName().toString());
            assertThat(query(file, "SELECT job_id FROM job_history WHERE status IN ('queued', 'running', 'cancel_requested')")).isEmpty();
            assertThat(query(file, "SELECT name FROM operation_locks")).as("no lock held in the copy").isEmpty();
        } finally {
            writer.stop.set(true);
            thread.join(Duration.ofSeconds(30));
        }
    }

    @Test
    void aBackupCancelledWhileItCopiesDeletesItsFileAndLeavesNoPartialFile() throws Exception {
        try (OpsHarness h = new OpsHarness(0)) {
            Path folder = h.dir.resolve("backups");
            // Keeping one backup: a cancelled backup must not have cost the one already there.
            BackupJob backup = new BackupJob(h.database, folder, Clock.systemUTC(), () -> 1);
            Path older = folder.resolve("chl-20200101-000000-000.db");
            Files.createDirectories(folder);
            Files.writeString(older, "an earlier backup");
            AtomicReference<Operations> ops = new AtomicReference<>();
            AtomicInteger checkpoints = new AtomicInteger();
            // The real backup body, with a context that asks for the cancel right after the first checkpoint passed,
            // i.e. while the copy is being made: the job must notice it at its next checkpoint and delete the copy.
            JobKind cancelledMidCopy = new ScriptedJob(JobType.BACKUP, () -> ctx -> {
                return backup.body(Map.of()).run(new JobContext() {
                    public String jobId() { return ctx.jobId(); }
                    public Map<String, Object> options() { return ctx.options(); }
                    public void progress(String step, long done, long total) { ctx.progress(step, done, total); }
                    public void quiesceWorkers() throws InterruptedException { ctx.quiesceWorkers(); }
                    public void committed(dev.chl.store.Tx tx, Map<String, Object> summary) { ctx.committed(tx, summary); }
                    public void checkpoint() {
                        int reached = checkpoints.incrementAndGet();
                        ctx.checkpoint();
                        if (reached == 1) {
                            ops.get().cancel(OpsHarness.OPERATOR, ctx.jobId());
                        }
                    }
                });
            });
            ops.set(h.operations(Clock.systemUTC(), List.of(cancelledMidCopy)));
            String id = (String) ops.get().start(OpsHarness.OPERATOR, JobType.BACKUP, Map.of()).get("job_id");
            Map<String, Object> done = dev.chl.testing.Await.until("the backup to stop", WAIT, () -> ops.get().get(id),
                    j -> JobStatus.fromWire("status", (String) j.get("status")).finished());
            assertThat(done.get("status")).as("%s", done).isEqualTo("cancelled");
            assertThat(checkpoints.get()).as("the body reached its checkpoint after the copy, where it noticed the cancel").isEqualTo(2);
            try (Stream<Path> files = Files.list(folder)) {
                assertThat(files.toList()).as("no new backup file and no partial file remain; the earlier one stays")
                        .containsExactly(older);
            }
            assertThat(h.sql.count("SELECT count(*) FROM operation_locks")).isZero();

            // a backup outside a job (the one an import takes) leaves one complete file and prunes to the one kept
            Path file = backup.backupNow();
            assertThat(query(file, "PRAGMA integrity_check").getFirst().values()).containsExactly("ok");
            try (Stream<Path> files = Files.list(folder)) {
                assertThat(files.toList()).as("a backup that stands replaces the oldest beyond the one kept").containsExactly(file);
            }
        }
    }
}
