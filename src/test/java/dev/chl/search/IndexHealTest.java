package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.Http;
import dev.chl.testing.IndexFiles;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.TempDirs;
import java.net.http.HttpResponse;
import dev.chl.testing.ChlApi;
import dev.chl.testing.SqliteFile;
import dev.chl.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The start-up check (DESIGN §4): the database is the truth, and an index that is missing, unreadable or behind the
 * database is rebuilt from it in the background; entries whose vectors are lost are embedded again.
 */
class IndexHealTest {
    private static final Duration HEAL = Duration.ofSeconds(30);

    /** A server with a few embedded entries; {@code ids} in creation order. */
    private record Setup(TestServer server, ChlApi api, List<String> ids) {}

    private static Setup serverWithEntries(String category) {
        TestServer server = TestServer.start();
        ChlApi api = ChlApi.of(server);
        api.category(category);
        List<String> ids = new ArrayList<>();
        ids.add(api.experience(category, "Quokka deployment checklist", "Before shipping the quokka service, drain traffic and verify the health endpoint."));
        ids.add(api.experience(category, "Pangolin cache invalidation", "Invalidate the pangolin cache by key prefix when a product price changes."));
        ids.add(api.experience(category, "Axolotl schema versioning", "Give every axolotl message a schema version and reject unknown versions loudly."));
        ids.add(api.manual(category, "Narwhal on-call handbook", "The narwhal rota rotates weekly; escalate after fifteen minutes without acknowledgement."));
        api.awaitEmbedded(ids);
        api.awaitQueueEmpty();
        return new Setup(server, api, ids);
    }

    private static long entriesInDatabase(TestServer server) {
        return SqliteFile.count(server.databaseFile(), "SELECT (SELECT count(*) FROM experiences) + (SELECT count(*) FROM manuals)");
    }

    private static long embeddedInDatabase(TestServer server) {
        return SqliteFile.count(server.databaseFile(), "SELECT (SELECT count(*) FROM experiences WHERE embedding_status = 'embedded')"
                + " + (SELECT count(*) FROM manuals WHERE embedding_status = 'embedded')");
    }

    /** Waits until the index agrees with the database again and returns its status. */
    private static JsonNode awaitHealed(TestServer server, ChlApi api, long documents) {
        return Await.until("the index to agree with the database", HEAL, api::index, s ->
                s.path("state").asString().equals("ready")
                        && s.path("documents").asLong() == documents
                        && s.path("vectors").asLong() == documents
                        && s.path("pending").asLong() == 0
                        && embeddedInDatabase(server) == documents);
    }

    private static void assertSearchFindsEntries(ChlApi api, List<String> ids) {
        assertThat(api.searchIds("quokka deployment")).first().isEqualTo(ids.get(0));
        assertThat(api.searchIds("narwhal rota escalation")).first().isEqualTo(ids.get(3));
        JsonNode semantic = api.search("what to do when a product costs something different now");
        assertThat(semantic.path("mode").asString()).isEqualTo("hybrid");
        assertThat(ChlApi.ids(semantic).subList(0, 3)).contains(ids.get(1));
    }

    private static Path currentGeneration(Path dataDir) {
        try {
            return dataDir.resolve("index").resolve(Files.readString(dataDir.resolve("index").resolve("CURRENT")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void deletedIndexFolderIsRebuiltFromTheDatabase() throws IOException {
        Setup s = serverWithEntries("HLA");
        long documents = entriesInDatabase(s.server());
        String rebuiltBefore = s.api().index().path("last_rebuild_at").asString();
        s.server().close();

        deleteTree(s.server().dataDir().resolve("index"));

        try (TestServer again = TestServer.startIn(s.server().dataDir())) {
            ChlApi api = ChlApi.of(again);
            JsonNode status = awaitHealed(again, api, documents);
            assertThat(status.path("last_rebuild_at").asString()).isGreaterThan(rebuiltBefore);
            assertThat(status.path("size_bytes").asLong()).isPositive();
            assertSearchFindsEntries(api, s.ids());
        }
    }

    enum Damage { GARBAGE_IN_EVERY_FILE, GARBAGE_IN_DATA_FILES_ONLY, EVERY_FILE_EMPTIED, CURRENT_POINTS_NOWHERE, ONE_BYTE_FLIPPED }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void damagedIndexIsRebuiltFromTheDatabase(Damage damage) throws IOException {
        Setup s = serverWithEntries("HLB");
        long documents = entriesInDatabase(s.server());
        String checksumBefore = s.api().index().path("checksum").asString();
        s.server().close();
        Path generation = currentGeneration(s.server().dataDir());

        Random random = new Random(42);
        if (damage == Damage.ONE_BYTE_FLIPPED) {
            // Lucene opens such an index and fails only on reading that byte: every search was a 500 before.
            flipByte(largestDataFile(generation));
        }
        try (Stream<Path> files = Files.list(generation)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                switch (damage) {
                    case GARBAGE_IN_EVERY_FILE -> Files.write(file, randomBytes(random, (int) Math.max(64, Files.size(file))));
                    case GARBAGE_IN_DATA_FILES_ONLY -> {
                        if (!name.startsWith("segments") && !name.equals("write.lock")) {
                            Files.write(file, randomBytes(random, (int) Math.max(64, Files.size(file))));
                        }
                    }
                    case EVERY_FILE_EMPTIED -> Files.write(file, new byte[0]);
                    case CURRENT_POINTS_NOWHERE, ONE_BYTE_FLIPPED -> { }
                }
            }
        }
        if (damage == Damage.CURRENT_POINTS_NOWHERE) {
            Files.writeString(s.server().dataDir().resolve("index").resolve("CURRENT"), "gen-123-gone\n");
        }

        try (TestServer again = TestServer.startIn(s.server().dataDir())) {
            ChlApi api = ChlApi.of(again);
            JsonNode status = awaitHealed(again, api, documents);
            assertThat(status.path("checksum").asString()).isNotEqualTo(checksumBefore);
            assertSearchFindsEntries(api, s.ids());
            assertThat(generation).as("the damaged generation is cleared away").doesNotExist();
        }
    }

    @Test
    void anIndexDamagedWhileRunningAnswers503AndHealsItself() throws IOException {
        Setup s = serverWithEntries("HLG");
        try {
            assertDamageWhileRunningIsHealed(s);
        } finally {
            s.server().close();
            TempDirs.deleteQuietly(s.server().dataDir());
        }
    }

    private static void assertDamageWhileRunningIsHealed(Setup s) throws IOException {
        long documents = entriesInDatabase(s.server());
        // After a rebuild every entry is in one segment, so the stored texts of all of them are damaged below.
        OpsJobs.run(s.api().http(), "index-rebuild", Map.of());
        Path generation = currentGeneration(s.server().dataDir());
        IndexFiles.Region storedTexts = IndexFiles.storedTexts(generation);
        IndexFiles.garble(storedTexts);

        Http.Response r = s.api().http().post("/api/v1/search", Map.of("query", "quokka deployment"));

        assertThat(r.status()).as("%s", r).isEqualTo(503);
        assertThat(r.isProblem()).isTrue();
        String job = r.json().path("rebuild_job_id").asString();
        assertThat(r.json().path("detail").asString()).contains("damaged").contains(storedTexts.file().getFileName().toString())
                .contains("rebuild").contains(job);
        JsonNode heal = OpsJobs.awaitFinished(s.api().http(), job, HEAL);
        assertThat(heal.path("job_type").asString()).isEqualTo("index-rebuild");
        assertThat(heal.path("status").asString()).isEqualTo("succeeded");
        assertThat(heal.path("result_summary").path("reason").asString()).contains("damaged while running");
        awaitHealedAfterDamage(s.server(), documents);
        assertSearchFindsEntries(s.api(), s.ids());
        assertThat(generation).as("the damaged generation is gone").doesNotExist();
    }

    @Test
    void anIndexFolderDeletedWhileRunningAnswersProblemsSayingWhatToDoAndHealsItself() throws IOException {
        Setup s = serverWithEntries("HLH");
        try {
            assertDeletedFolderAnswersProblemsAndHeals(s);
        } finally {
            s.server().close();
            TempDirs.deleteQuietly(s.server().dataDir());
        }
    }

    private static void assertDeletedFolderAnswersProblemsAndHeals(Setup s) throws IOException {
        long documents = entriesInDatabase(s.server());
        Path index = s.server().dataDir().resolve("index");

        deleteTree(index);
        HttpResponse<byte[]> download = SnapshotTest.download(s.server());
        assertThat(download.statusCode()).isEqualTo(503);
        assertThat(download.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(download.headers().firstValue("Content-Disposition")).as("not a file to save").isEmpty();
        JsonNode problem = Http.JSON.readTree(download.body());
        assertThat(problem.path("detail").asString()).as("nothing but the problem in the body").contains("damaged")
                .contains("rebuild");
        awaitHealedAfterDamage(s.server(), documents);

        deleteTree(index);
        Http.Response card = s.api().http().get("/api/v1/index");
        assertThat(card.status()).as("%s", card).isEqualTo(503);
        assertThat(card.isProblem()).isTrue();
        assertThat(card.json().path("detail").asString()).contains("is gone").contains("POST /api/v1/operations/index-rebuild");
        assertThat(card.json().path("ref").isMissingNode()).as("not an internal error").isTrue();
        awaitHealedAfterDamage(s.server(), documents);

        deleteTree(index);
        Http.Response page = s.api().http().get("/index");
        assertThat(page.status()).as("the console page that offers the rebuild still shows: %s", page).isEqualTo(200);
        assertThat(page.body()).contains("damaged").contains("is gone").contains("Rebuild");
        awaitHealedAfterDamage(s.server(), documents);

        deleteTree(index);
        JsonNode health = s.api().http().get("/health").json();
        JsonNode component = health.path("components").path("index");
        assertThat(health.path("status").asString()).isEqualTo("degraded");
        assertThat(component.path("status").asString()).as("%s", component).isEqualTo("down");
        assertThat(component.path("message").asString()).contains("is gone").doesNotContain("NoSuchFileException");
        assertThat(component.path("remediation").asString()).contains("rebuild");
        awaitHealedAfterDamage(s.server(), documents);
        assertSearchFindsEntries(s.api(), s.ids());
    }

    /** Waits until the index card answers again and agrees with the database. */
    private static void awaitHealedAfterDamage(TestServer server, long documents) {
        Http http = server.http();
        Await.until("the index to be healed", HEAL, () -> {
            Http.Response r = http.get("/api/v1/index");
            return r.status() == 200 ? r.json() : null;
        }, st -> st != null && st.path("state").asString().equals("ready") && st.path("documents").asLong() == documents
                && st.path("vectors").asLong() == documents);
    }

    @Test
    void indexMissingLaterEntriesIsRebuilt() throws IOException {
        Setup s = serverWithEntries("HLC");
        Path dataDir = s.server().dataDir();
        s.server().close();
        Path backup = Files.createTempDirectory("chl-index-backup-");
        copyTree(dataDir.resolve("index"), backup);

        String later;
        try (TestServer second = TestServer.startIn(dataDir)) {
            ChlApi api = ChlApi.of(second);
            later = api.experience("HLC", "Wombat feature flags", "Remove wombat feature flags within two releases of full rollout.");
            api.awaitEmbedded(later);
        }
        deleteTree(dataDir.resolve("index"));
        copyTree(backup, dataDir.resolve("index"));

        try (TestServer third = TestServer.startIn(dataDir)) {
            ChlApi api = ChlApi.of(third);
            awaitHealed(third, api, entriesInDatabase(third));
            assertThat(api.searchIds("wombat flags")).first().isEqualTo(later);
        }
    }

    @Test
    void indexMissingAnUpdateIsRebuilt() throws IOException {
        Setup s = serverWithEntries("HLD");
        Path dataDir = s.server().dataDir();
        s.server().close();
        Path backup = Files.createTempDirectory("chl-index-backup-");
        copyTree(dataDir.resolve("index"), backup);

        String id = s.ids().get(2);
        try (TestServer second = TestServer.startIn(dataDir)) {
            ChlApi api = ChlApi.of(second);
            assertThat(api.http().patch("/api/v1/experiences/" + id, Map.of("title", "Capybara schema versioning")).status()).isEqualTo(200);
            api.awaitEmbedded(id);
        }
        // Same number of documents and vectors as the database, but an older text: only the newest change tells.
        deleteTree(dataDir.resolve("index"));
        copyTree(backup, dataDir.resolve("index"));

        try (TestServer third = TestServer.startIn(dataDir)) {
            ChlApi api = ChlApi.of(third);
            Await.until("the updated title to be searchable", HEAL, () -> api.foundByWords("capybara", id));
            awaitHealed(third, api, entriesInDatabase(third));
            JsonNode hit = api.search("capybara").path("results").get(0);
            assertThat(hit.path("title").asString()).isEqualTo("Capybara schema versioning");
        }
    }

    @Test
    void entriesWhoseVectorsWereLostAreEmbeddedAgain() {
        Setup s = serverWithEntries("HLE");
        long documents = entriesInDatabase(s.server());
        s.server().close();
        int removed = SqliteFile.update(s.server().databaseFile(), "DELETE FROM entry_vectors WHERE entry_id IN (?, ?)", s.ids().get(0), s.ids().get(3));
        assertThat(removed).isEqualTo(2);

        try (TestServer again = TestServer.startIn(s.server().dataDir())) {
            ChlApi api = ChlApi.of(again);
            awaitHealed(again, api, documents);
            assertThat(SqliteFile.count(again.databaseFile(), "SELECT count(*) FROM entry_vectors WHERE entry_id IN (?, ?)",
                    s.ids().get(0), s.ids().get(3))).isEqualTo(2);
            assertSearchFindsEntries(api, s.ids());
        }
    }

    @Test
    void entriesLeftPendingAtShutdownAreEmbeddedAfterRestart() {
        TestServer server = TestServer.start();
        ChlApi api = ChlApi.of(server);
        api.category("HLF");
        api.workerControl("pause");
        Await.until("paused", Duration.ofSeconds(5), () -> api.worker("worker-1").path("status").asString(), "paused"::equals);
        String a = api.experience("HLF", "Ocelot retry budget", "Cap ocelot retries at three per request.");
        String b = api.manual("HLF", "Ocelot operations guide", "Restart the ocelot daemon with the supervisor, never by hand.");
        server.close();
        // The operator's pause lives in memory only: a restarted server works through the queue again.

        try (TestServer again = TestServer.startIn(server.dataDir())) {
            ChlApi api2 = ChlApi.of(again);
            api2.awaitEmbedded(a, b);
            awaitHealed(again, api2, entriesInDatabase(again));
            assertThat(api2.searchIds("ocelot retries")).first().isEqualTo(a);
        }
    }

    private static Path largestDataFile(Path generation) throws IOException {
        try (Stream<Path> files = Files.list(generation)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("segments") && !f.getFileName().toString().equals("write.lock"))
                    .max(Comparator.comparingLong(IndexHealTest::size)).orElseThrow();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flipByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(file, bytes);
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
