package dev.chl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.Jobs;
import dev.chl.testing.ServerExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@code chl reindex}, {@code chl backup} and {@code chl status} against a real running server. */
class CliOperationsTest {
    private static final Pattern JOB_ID = Pattern.compile("chl: \\S+ (JOB-\\S+)");

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    @BeforeAll
    static void awaitIdle() {
        // A fresh data directory heals its index with a rebuild job at start-up; it holds the index lock meanwhile.
        dev.chl.testing.OpsJobs.awaitIdle(server.http(), java.time.Duration.ofSeconds(60));
    }

    private static Cli.Run chl(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--url";
        all[args.length + 1] = server.baseUrl();
        return Cli.run(Map.of(), all);
    }

    /** The job the command started, as the server records it. */
    private static JsonNode job(Cli.Run run) {
        Matcher m = JOB_ID.matcher(run.err());
        assertThat(m.find()).as(run.toString()).isTrue();
        return Jobs.get(server.http(), m.group(1));
    }

    @Test
    void reindexRunsAnIndexRebuildJobThroughTheServer() {
        Cli.Run r = chl("reindex");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).startsWith("index-rebuild succeeded: {");
        JsonNode job = job(r);
        assertThat(job.path("job_type").asString()).isEqualTo("index-rebuild");
        assertThat(job.path("status").asString()).isEqualTo("succeeded");
        assertThat(job.path("source").asString()).as("the server knows the CLI asked").isEqualTo("cli");
    }

    @Test
    void backupWritesADatabaseCopyIntoTheDataDirectory() {
        Cli.Run r = chl("backup");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("backup succeeded: {");
        JsonNode job = job(r);
        String file = job.path("result_summary").toString();
        try (var backups = Files.list(server.server().dataDir().resolve("backups"))) {
            assertThat(backups.map(p -> p.getFileName().toString()).filter(file::contains).toList())
                    .as("the backup the job names, in %s", file).hasSize(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitHealthy() {
        Await.until("the server reports ok", Duration.ofSeconds(30),
                () -> server.http().get("/health").json().path("status").asString().equals("ok"));
    }

    @Test
    void statusShowsHealthAndWhatTheLibraryHolds() {
        awaitHealthy();
        JsonNode categories = server.http().get("/api/v1/categories").json().path("categories");
        Cli.Run r = chl("status");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("server     " + server.baseUrl() + "  ok")
                .containsPattern("(?m)^  database +ok$")
                .contains("library    " + categories.size() + " categories, ");
    }

    @Test
    void withoutUrlTheServerIsFoundFromTheEnvironment() {
        awaitHealthy();
        String port = server.baseUrl().substring(server.baseUrl().lastIndexOf(':') + 1);
        Cli.Run r = Cli.run(Map.of("CHL_HOST", "127.0.0.1", "CHL_PORT", port), "status");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("server     " + server.baseUrl() + "  ok");
    }
}
