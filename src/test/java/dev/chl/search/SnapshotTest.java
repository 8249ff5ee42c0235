package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.index.IndexDocument;
import dev.chl.index.LuceneIndex;
import dev.chl.testing.Await;
import dev.chl.testing.ChlApi;
import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import dev.chl.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET/POST /api/v1/index/snapshot}: a download is a zip of one consistent commit; uploading it back swaps it
 * in; anything else is refused with 422 and leaves the live index exactly as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private final List<String> ids = new ArrayList<>();

    @BeforeAll
    void library() {
        server.api().category("SNP");
        ids.add(server.api().experience("SNP", "Lemur backup rotation", "Keep seven daily lemur backups and four weekly ones."));
        ids.add(server.api().experience("SNP", "Tapir release notes", "Write tapir release notes for people, not for the commit log."));
        ids.add(server.api().manual("SNP", "Gecko style manual", "Gecko services log in JSON with a request id on every line."));
        server.api().awaitEmbedded(ids);
    }

    // ---- download and round trip --------------------------------------------------------------------------------

    @Test
    void downloadIsAZipOfOneValidCommit() throws IOException {
        HttpResponse<byte[]> r = download(server.server());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/zip");
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).contains("attachment").contains(".zip");
        Map<String, byte[]> files = unzip(r.body());
        assertThat(files.keySet()).isNotEmpty()
                .anySatisfy(name -> assertThat(name).startsWith("segments_"))
                .allSatisfy(name -> assertThat(name).matches("[A-Za-z0-9_.\\-]+"))
                .noneSatisfy(name -> assertThat(name).isEqualTo("write.lock"));
        Path folder = Files.createTempDirectory("chl-snapshot-check-");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(folder.resolve(f.getKey()), f.getValue());
        }
        assertThat(luceneIndex().validateFolder(folder)).isNull();
    }

    @Test
    void uploadingADownloadSwapsItInAndLeavesWorkersRunning() {
        byte[] snapshot = download(server.server()).body();
        JsonNode before = quietStatus();

        Http.Response r = upload(server.server(), "snapshot.zip", snapshot);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("status").asString()).isEqualTo("replaced");
        assertThat(body.path("disagreement").isNull()).as("disagreement: %s", body.path("disagreement")).isTrue();
        assertThat(body.path("index").path("documents").asLong()).isEqualTo(before.path("documents").asLong());
        assertThat(body.path("index").path("vectors").asLong()).isEqualTo(before.path("vectors").asLong());
        assertThat(server.api().searchIds("lemur backups")).first().isEqualTo(ids.get(0));
        assertThat(server.api().workers().path("workers").get(0).path("status").asString()).isNotEqualTo("paused");
        // The swap paused the workers; they must have been given back.
        String later = server.api().experience("SNP", "Heron queue sizing", "Size the heron queue from the peak hour, not the average.");
        server.api().awaitEmbedded(later);
        Await.until("the new entry searchable", Duration.ofSeconds(5), () -> server.api().foundByWords("heron queue", later));
    }

    @Test
    void downloadingAndUploadingAnUnchangedIndexKeepsItsChecksum() {
        String checksum = quietStatus().path("checksum").asString();

        byte[] snapshot = download(server.server()).body();
        assertThat(server.api().index().path("checksum").asString()).as("a download commits first").isEqualTo(checksum);
        assertThat(download(server.server()).statusCode()).isEqualTo(200);
        assertThat(server.api().index().path("checksum").asString()).as("a second download").isEqualTo(checksum);

        Http.Response r = upload(server.server(), "snapshot.zip", snapshot);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("index").path("checksum").asString()).as("the same content installed").isEqualTo(checksum);
        assertThat(server.api().index().path("checksum").asString()).isEqualTo(checksum);
    }

    // ---- an upload never races a job that holds the index lock ---------------------------------------------------

    @Test
    void uploadWhileAJobHoldsTheIndexLockIsRefusedNamingItAndChangesNothing() {
        byte[] snapshot = download(server.server()).body();
        JsonNode before = quietStatus();
        String installs = "SELECT count(*) FROM audit_log WHERE action = 'index.snapshot_install'";
        long installedBefore = server.db().count(installs);
        String holder = holdIndexLockAsAJob();
        try {
            Http.Response r = upload(server.server(), "snapshot.zip", snapshot);

            assertThat(r.status()).as(r.body()).isEqualTo(409);
            assertThat(r.isProblem()).isTrue();
            assertThat(r.json().path("holder_job_id").asString()).isEqualTo(holder);
            assertThat(r.json().path("lock").asString()).isEqualTo("index");
            assertThat(r.json().path("detail").asString()).contains(holder).contains("snapshot");
            assertIndexIs(before);
            assertThat(server.db().count(installs)).as("nothing installed").isEqualTo(installedBefore);
        } finally {
            server.db().exec("DELETE FROM operation_locks WHERE owner_job_id = ?", holder);
            server.db().exec("UPDATE job_history SET status = 'failed', finished_at = started_at, error = 'test holder' WHERE job_id = ?", holder);
        }
        assertThat(upload(server.server(), "snapshot.zip", snapshot).status()).as("once the lock is free").isEqualTo(200);
    }

    /** A running index-rebuild job's row and lease, as another process (or a job of this one) would hold them. */
    private static String holdIndexLockAsAJob() {
        String id = "JOB-20260101-000000000-snap" + System.nanoTime() % 1000;
        String now = dev.chl.common.Times.format(java.time.Instant.now());
        String later = dev.chl.common.Times.format(java.time.Instant.now().plus(Duration.ofMinutes(5)));
        server.db().exec("INSERT INTO job_history (job_id, job_type, status, triggered_by, source, options_json, created_at, started_at)"
                + " VALUES (?, 'index-rebuild', 'running', 'other-process', 'cli', '{}', ?, ?)", id, now, now);
        server.db().exec("INSERT INTO operation_locks (name, owner_job_id, acquired_at, expires_at) VALUES ('index', ?, ?, ?)", id, now, later);
        return id;
    }

    // ---- bad uploads ----------------------------------------------------------------------------------------------

    @Test
    void notAZipIsRefused() {
        assertRefusedAndIndexUnchanged("notes.txt", "this is not a zip at all".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void emptyFileIsRefused() {
        assertRefusedAndIndexUnchanged("empty.zip", new byte[0]);
    }

    @Test
    void zipOfGarbageFilesIsRefused() {
        Random random = new Random(7);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("segments_1", bytes(random, 200));
        files.put("_0.si", bytes(random, 400));
        files.put("_0.cfs", bytes(random, 4000));
        assertRefusedAndIndexUnchanged("garbage.zip", zip(files));
    }

    @Test
    void realSnapshotWithADamagedFileIsRefused() throws IOException {
        Map<String, byte[]> files = unzip(download(server.server()).body());
        String victim = files.entrySet().stream().filter(e -> !e.getKey().startsWith("segments"))
                .max(Map.Entry.comparingByValue(java.util.Comparator.comparingInt(b -> b.length))).orElseThrow().getKey();
        byte[] bytes = files.get(victim).clone();
        bytes[bytes.length / 2] ^= 0x55;
        files.put(victim, bytes);

        assertRefusedAndIndexUnchanged("damaged.zip", zip(files));
    }

    @Test
    void truncatedSnapshotIsRefused() {
        byte[] whole = download(server.server()).body();
        byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);

        assertRefusedAndIndexUnchanged("truncated.zip", half);
    }

    @Test
    void pathTraversalNamesAreRefusedAndNothingIsWrittenOutside() throws IOException {
        for (String name : List.of("../x", "../../escaped.txt", "/tmp/chl-absolute-evil", "sub/segments_1", "..\\x", "..", ".")) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(name, "evil".getBytes(StandardCharsets.UTF_8));
            assertRefusedAndIndexUnchanged("traversal.zip", zip(files));
        }
        assertThat(server.server().dataDir().resolve("x")).doesNotExist();
        assertThat(server.server().dataDir().resolve("escaped.txt")).doesNotExist();
        assertThat(server.server().dataDir().getParent().resolve("escaped.txt")).doesNotExist();
        assertThat(Path.of("/tmp/chl-absolute-evil")).doesNotExist();
    }

    @Test
    void snapshotOfAnotherModelIsRefused() throws IOException {
        Path root = Files.createTempDirectory("chl-other-model-");
        Path copy = root.resolve("copy");
        try (LuceneIndex other = LuceneIndex.open(root.resolve("index"), "some-other-model", 384)) {
            other.upsert(new IndexDocument("EXP-SNP-1", "experience", "SNP", "useful", "t", "b", null, 1, null));
            other.copyCommitTo(copy);
        }
        Http.Response r = assertRefusedAndIndexUnchanged("other-model.zip", zipFolder(copy));
        assertThat(r.json().path("errors").get(0).path("message").asString()).contains("some-other-model");
    }

    @Test
    void uploadWithoutTheFileFieldIsRefused() {
        byte[] snapshot = download(server.server()).body();
        JsonNode before = quietStatus();
        Http.Response json = server.http().post("/api/v1/index/snapshot", Map.of("file", "x"));
        SearchApiTest.assertProblem(json, "file");
        Http.Response otherField = multipart(server.server(), "snapshot", "snapshot.zip", snapshot);
        SearchApiTest.assertProblem(otherField, "file");
        assertIndexIs(before);
    }

    // ---- a valid snapshot that disagrees with the database ---------------------------------------------------------

    /**
     * Another library's snapshot (right model and dimension, other ids) is a valid index, but installing it alone left
     * this library's entries unsearchable while every status said "ready": they are embedded in the database, so no
     * worker adds them back. The upload runs the start-up check and starts the rebuild it would start.
     */
    @Test
    void anotherLibrarysSnapshotIsInstalledThenHealedByARebuildFromTheDatabase() throws IOException {
        try (TestServer own = TestServer.start()) {
            ChlApi ownApi = ChlApi.of(own);
            ownApi.category("OWN");
            String mine = ownApi.experience("OWN", "Okapi cache warming", "Warm the okapi cache before the morning peak.");
            ownApi.awaitEmbedded(mine);
            Path root = Files.createTempDirectory("chl-foreign-snapshot-");
            Path copy = root.resolve("copy");
            try (LuceneIndex foreign = LuceneIndex.open(root.resolve("index"), "all-minilm-l6-v2-q", 384)) {
                foreign.upsert(new IndexDocument("EXP-FOR-1", "experience", "FOR", "useful", "Foreign entry",
                        "Only the other library has it.", null, 1000, unit(new Random(3), 384)));
                foreign.copyCommitTo(copy);
            }

            Http.Response r = upload(own, "foreign.zip", zipFolder(copy));

            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().path("disagreement").asString()).isNotBlank();
            String job = r.json().path("rebuild_job_id").asString();
            assertThat(job).as("the rebuild the start-up check would start: %s", r.body()).startsWith("JOB-");
            JsonNode done = dev.chl.testing.OpsJobs.awaitFinished(own.http(), job, Duration.ofSeconds(60));
            assertThat(done.path("status").asString()).as("%s", done).isEqualTo("succeeded");
            assertThat(done.path("job_type").asString()).isEqualTo("index-rebuild");
            assertThat(ownApi.searchIds("okapi cache")).first().isEqualTo(mine);
            assertThat(own.app().services().index().disagreement()).as("healed").isNull();
        }
    }

    // ---- a large snapshot -------------------------------------------------------------------------------------------

    @Test
    void snapshotLargerThanTheJsonBodyLimitUploads() throws IOException {
        try (TestServer own = TestServer.start()) {
            ChlApi ownApi = ChlApi.of(own);
            ownApi.awaitQueueEmpty();
            Path root = Files.createTempDirectory("chl-big-snapshot-");
            Path copy = root.resolve("copy");
            Random random = new Random(1);
            try (LuceneIndex big = LuceneIndex.open(root.resolve("index"), "all-minilm-l6-v2-q", 384)) {
                for (int i = 0; i < 2500; i++) {
                    big.upsert(new IndexDocument("EXP-BIG-" + i, "experience", "BIG", "useful", "Big entry " + i,
                            "Body of big entry " + i, null, 1000 + i, unit(random, 384)));
                }
                big.copyCommitTo(copy);
            }
            byte[] zip = zipFolder(copy);
            assertThat(zip.length).isGreaterThan(3 * 1024 * 1024);

            Http.Response r = upload(own, "big.zip", zip);

            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().path("index").path("documents").asLong()).isEqualTo(2500);
            assertThat(r.json().path("disagreement").asString()).as("it does not match this database").isNotBlank();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private LuceneIndex luceneIndex() {
        return server.server().app().services().index().index();
    }

    /** The index status once no commit is due (each commit writes a new segments file, which changes the checksum). */
    private JsonNode quietStatus() {
        server.api().awaitQueueEmpty();
        server.server().app().services().index().commitIfDirty();
        JsonNode[] previous = {server.api().index()};
        return Await.until("a stable index checksum", Duration.ofSeconds(15), () -> {
            Await.sleep(Duration.ofMillis(300));
            JsonNode now = server.api().index();
            JsonNode before = previous[0];
            previous[0] = now;
            return now.path("checksum").equals(before.path("checksum")) ? now : null;
        }, java.util.Objects::nonNull);
    }

    private void assertIndexIs(JsonNode before) {
        JsonNode after = server.api().index();
        assertThat(after.path("documents").asLong()).isEqualTo(before.path("documents").asLong());
        assertThat(after.path("vectors").asLong()).isEqualTo(before.path("vectors").asLong());
        assertThat(after.path("checksum").asString()).isEqualTo(before.path("checksum").asString());
        assertThat(server.api().searchIds("tapir release notes")).first().isEqualTo(ids.get(1));
        assertThat(server.api().search("how many copies of old data should be retained").path("mode").asString()).isEqualTo("hybrid");
    }

    private Http.Response assertRefusedAndIndexUnchanged(String filename, byte[] bytes) {
        JsonNode before = quietStatus();

        Http.Response r = upload(server.server(), filename, bytes);

        assertThat(r.status()).as("upload %s: %s", filename, r.body()).isEqualTo(422);
        SearchApiTest.assertProblem(r, "file");
        assertIndexIs(before);
        try (Stream<Path> leftovers = Files.list(server.server().dataDir().resolve("tmp"))) {
            assertThat(leftovers.toList()).as("scratch folders are cleaned up").isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    static HttpResponse<byte[]> download(TestServer server) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/index/snapshot")).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Http.Response upload(TestServer server, String filename, byte[] bytes) {
        return multipart(server, "file", filename, bytes);
    }

    static Http.Response multipart(TestServer server, String field, String filename, byte[] bytes) {
        String boundary = "----chl-test-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/index/snapshot"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
            return new Http.Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                assertThat(e.isDirectory()).isFalse();
                files.put(e.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] zipFolder(Path folder) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path p : list.sorted().toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return zip(files);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static float[] unit(Random random, int dim) {
        float[] v = new float[dim];
        double sum = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
            sum += v[i] * v[i];
        }
        float norm = (float) Math.sqrt(sum);
        for (int i = 0; i < dim; i++) {
            v[i] /= norm;
        }
        return v;
    }
}
