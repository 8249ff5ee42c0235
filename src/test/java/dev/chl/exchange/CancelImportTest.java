package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.Fixtures;
import dev.chl.testing.Jobs;
import dev.chl.testing.ServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * An import stopped while it applies — cancelled, or past its timeout — leaves the store exactly as it was: the apply
 * is one transaction. A test trigger makes each inserted row cost about a millisecond, so the apply of a large
 * workbook reliably takes long enough to be caught in the middle; it changes no data.
 */
class CancelImportTest {
    private static final int ROWS = 20_000;

    @RegisterExtension
    final ServerExtension server = ServerExtension.perTest();
    private ExchangeClient x;
    private String code;
    private String retired;
    private String updated;

    @BeforeEach
    void library() {
        x = new ExchangeClient(server.server());
        code = Fixtures.newCategory(x.http);
        for (int i = 1; i <= 5; i++) {
            x.db.insertGlobalExperience(TestBook.experienceId(code, i), code, "Published " + i, "pending", "2025-01-01T00:00:00.000Z");
        }
        retired = TestBook.experienceId(code, 1);
        updated = TestBook.experienceId(code, 2);
        Fixtures.createExperience(x.http, code, "A local draft");
        Fixtures.createManual(x.http, code, "A local manual");
        x.awaitAllEmbedded();
    }

    /** The library, minus one published entry, one entry edited, and {@code rows} new rows (two new categories among them). */
    private TestBook bigBook(int rows) {
        TestBook book = TestBook.fromXlsx(x.export("xlsx"));
        book.experiences().remove(retired);
        book.experiences().entry(updated).put("playbook", "Edited by the curator.");
        String second = Fixtures.uniqueCode();
        book.categories().add(TestBook.categoryRow(second, "A shelf only the sheet has"));
        for (int i = 0; i < rows; i++) {
            String shelf = i % 2 == 0 ? code : second;
            book.experiences().add(TestBook.experienceRow(TestBook.experienceId(shelf, 1000 + i), shelf, "Generated heuristic number " + i));
        }
        return book;
    }

    /**
     * Pointless work on every inserted experience — counting a cross join of the dozen categories with itself
     * {@code joins} times (4: about 20,000 rows, a fraction of a millisecond; 5: about 250,000 rows, several) — so
     * the apply of many rows takes a while. It reads and writes no data.
     */
    private void slowDownInserts(int joins) {
        StringBuilder from = new StringBuilder("categories c0");
        for (int i = 1; i < joins; i++) {
            from.append(", categories c").append(i);
        }
        x.db.script("CREATE TRIGGER test_slow_insert AFTER INSERT ON experiences BEGIN SELECT count(*) FROM " + from + "; END");
    }

    private void assertStoreUnchanged(Map<String, Object> before, String jobId) {
        x.db.script("DROP TRIGGER IF EXISTS test_slow_insert");
        assertThat(x.db.count("SELECT count(*) FROM experiences")).isEqualTo(((List<?>) before.get("experiences")).size());
        assertThat(x.entry(retired)).as("the entry the sheet dropped is still there").isNotNull();
        assertThat(x.entry(updated).get("playbook")).isNotEqualTo("Edited by the curator.");
        assertThat(x.entry(TestBook.experienceId(code, 1000))).as("no new row").isNull();
        assertThat(x.snapshot()).as("every row, vector and audit row as before").isEqualTo(before);
        assertThat(x.auditCount("entry.retire")).isZero();
        assertThat(x.auditCount("import.apply")).isZero();
        // the job's locks are free again and the workers run: a new import can start and new entries get embedded
        assertThat(Jobs.run(x.http, "export", Map.of("target", "csv")).path("status").asString()).isEqualTo("succeeded");
        String fresh = Fixtures.createExperience(x.http, code, "Written after the stopped import").path("id").asString();
        Await.until("workers resumed after job " + jobId, Duration.ofSeconds(60), () -> "embedded".equals(x.entry(fresh).get("embedding_status")));
    }

    /** {@code GET /api/v1/events?topics=jobs}, read line by line. */
    private static final class Events implements AutoCloseable {
        private final java.net.http.HttpResponse<java.util.stream.Stream<String>> response;
        private final java.util.Iterator<String> lines;

        private Events(java.net.http.HttpResponse<java.util.stream.Stream<String>> response) {
            this.response = response;
            this.lines = response.body().iterator();
        }

        static Events open(String baseUrl) {
            try {
                var r = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl + "/api/v1/events?topics=jobs"))
                                .header("Accept", "text/event-stream").build(),
                        java.net.http.HttpResponse.BodyHandlers.ofLines());
                assertThat(r.statusCode()).isEqualTo(200);
                return new Events(r);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** The first line matching {@code match}; events flow all the time while a job runs, so reads do not stall. */
        String await(Duration timeout, java.util.function.Predicate<String> match) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && lines.hasNext()) {
                String line = lines.next();
                if (match.test(line)) {
                    return line;
                }
            }
            throw new AssertionError("no matching event within " + timeout);
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    @Test
    void cancellingWhileTheImportAppliesLeavesTheStoreUntouched() {
        TestBook book = bigBook(ROWS);
        String upload = x.uploadXlsx(book);
        JsonNode preview = x.preview(upload);
        assertThat(preview.path("counts").path("add").asInt()).isEqualTo(ROWS);
        assertThat(preview.path("counts").path("retire").asInt()).isEqualTo(1);
        slowDownInserts(4);
        Map<String, Object> before = x.snapshot();

        // The apply runs in one transaction, so its progress reaches the job row only at the commit; the live channel
        // shows it as it happens.
        String job;
        try (Events events = Events.open(x.http.baseUrl())) {
            job = Jobs.start(x.http, "import", Map.of("source", "upload:" + upload, "dry_run", false));
            String jobId = job;
            String seen = events.await(Duration.ofSeconds(120), line -> line.contains(jobId)
                    && (line.contains("\"step\":\"applying\"") || line.contains("\"status\":\"succeeded\"")
                    || line.contains("\"status\":\"failed\"")));
            assertThat(seen).as("a progress event while it applies").contains("\"step\":\"applying\"");
        }
        assertThat(Jobs.get(x.http, job).path("status").asString()).isEqualTo("running");
        assertThat(x.http.post("/api/v1/operations/jobs/" + job + "/cancel", Map.of()).status()).isEqualTo(202);
        JsonNode done = Jobs.await(x.http, job, Duration.ofSeconds(60));

        assertThat(done.path("status").asString()).as("%s", done).isEqualTo("cancelled");
        assertThat(done.path("error").asString()).contains("applying");
        assertThat(done.path("result_summary").isNull()).isTrue();
        assertStoreUnchanged(before, job);
        assertThat(x.http.post("/api/v1/operations/jobs/" + job + "/cancel", Map.of()).status())
                .as("cancelling a finished job").isEqualTo(409);
    }

    @Test
    void anImportThatTimesOutWhileApplyingLeavesTheStoreUntouched() {
        // a smaller workbook reads, checks and backs up in about a second, well within the timeout; its slowed apply
        // (tens of seconds) cannot finish in it
        TestBook book = bigBook(4_000);
        String upload = x.uploadCsv(book);
        slowDownInserts(5);
        Map<String, Object> before = x.snapshot();
        assertThat(x.http.put("/api/v1/settings/operations", Map.of("job_timeout_seconds", 5)).status()).isEqualTo(200);

        JsonNode done = Jobs.await(x.http, Jobs.start(x.http, "import", Map.of("source", "upload:" + upload, "dry_run", false)),
                Duration.ofSeconds(120));
        assertThat(x.http.put("/api/v1/settings/operations", Map.of("job_timeout_seconds", 900)).status()).isEqualTo(200);

        assertThat(done.path("status").asString()).as("%s", done).isEqualTo("timed_out");
        assertThat(done.path("error").asString()).contains("timeout").contains("applying");
        x.db.script("DROP TRIGGER IF EXISTS test_slow_insert");
        // the settings change wrote audit rows of its own; the import wrote none
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> auditBefore = (List<Map<String, Object>>) before.get("audit");
        List<Map<String, Object>> auditAfter = x.auditRowsExceptJobs();
        assertThat(auditAfter.subList(0, auditBefore.size())).isEqualTo(auditBefore);
        assertThat(auditAfter.subList(auditBefore.size(), auditAfter.size())).allSatisfy(r ->
                assertThat((String) r.get("action")).startsWith("settings."));
        before.put("audit", auditAfter);
        assertStoreUnchanged(before, done.path("job_id").asString());
    }
}
