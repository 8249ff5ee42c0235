package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Http;
import dev.chl.testing.Jobs;
import dev.chl.testing.Await;
import dev.chl.testing.Sqlite;
import dev.chl.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Uploads, imports and exports over the HTTP API, and exact snapshots of what the store holds. */
final class ExchangeClient {
    final TestServer server;
    final Http http;
    final Sqlite db;

    ExchangeClient(TestServer server) {
        this.server = server;
        this.http = server.http();
        this.db = Sqlite.of(server);
    }

    /** {@code POST /api/v1/uploads}; asserts 201 and returns the upload id. */
    String upload(String filename, byte[] content) {
        Http.Response r = http.upload("/api/v1/uploads", "file", filename, content);
        assertThat(r.status()).as("upload %s: %s", filename, r).isEqualTo(201);
        return r.json().path("upload_id").asString();
    }

    String uploadXlsx(TestBook book) {
        return upload("book.xlsx", book.toXlsx());
    }

    String uploadCsv(TestBook book) {
        return upload("book.zip", book.toCsvZip());
    }

    /** Runs an import of an upload to its end; returns the finished job whatever its status. */
    JsonNode runImport(String uploadId, boolean dryRun) {
        return Jobs.run(http, "import", Map.of("source", "upload:" + uploadId, "dry_run", dryRun));
    }

    /** A dry run that must succeed; returns its result_summary (the preview). */
    JsonNode preview(String uploadId) {
        JsonNode job = runImport(uploadId, true);
        assertThat(job.path("status").asString()).as("dry run: %s", job).isEqualTo("succeeded");
        return job.path("result_summary");
    }

    /** An import that must succeed; returns its result_summary. */
    JsonNode apply(String uploadId) {
        JsonNode job = runImport(uploadId, false);
        assertThat(job.path("status").asString()).as("import: %s", job).isEqualTo("succeeded");
        return job.path("result_summary");
    }

    /** Runs an export that must succeed; returns the finished job. */
    JsonNode exportJob(String target) {
        return Jobs.succeed(http, "export", Map.of("target", target));
    }

    /** Exports and downloads the file. */
    byte[] export(String target) {
        return download(exportJob(target).path("job_id").asString());
    }

    byte[] download(String jobId) {
        Http.Download d = http.download("/api/v1/operations/jobs/" + jobId + "/download");
        assertThat(d.status()).as("download %s: %s %s", jobId, d, d.text()).isEqualTo(200);
        return d.body();
    }

    TestBook exportBook(String target) {
        byte[] file = export(target);
        return target.equals("xlsx") ? TestBook.fromXlsx(file) : TestBook.fromCsvZip(file);
    }

    // ---- the store -------------------------------------------------------------------------------------------------

    /** Waits until the workers have embedded every entry (so embedding columns stop changing). */
    void awaitAllEmbedded() {
        Await.until("every entry embedded", Duration.ofSeconds(60), () -> db.count(
                "SELECT (SELECT count(*) FROM experiences WHERE embedding_status <> 'embedded')"
                        + " + (SELECT count(*) FROM manuals WHERE embedding_status <> 'embedded')") == 0);
    }

    List<Map<String, Object>> experiences() {
        return db.rows("SELECT * FROM experiences ORDER BY id");
    }

    List<Map<String, Object>> manuals() {
        return db.rows("SELECT * FROM manuals ORDER BY id");
    }

    Map<String, Object> entry(String id) {
        String table = id.startsWith("EXP-") ? "experiences" : "manuals";
        List<Map<String, Object>> rows = db.rows("SELECT * FROM " + table + " WHERE id = ?", id);
        return rows.isEmpty() ? null : rows.getFirst();
    }

    List<String> ids(String table) {
        return db.rows("SELECT id FROM " + table + " ORDER BY id").stream().map(r -> (String) r.get("id")).toList();
    }

    /** Everything an import could change: every row of the content tables, vectors, and non-job audit rows. */
    Map<String, Object> snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("categories", db.rows("SELECT * FROM categories ORDER BY code"));
        s.put("experiences", experiences());
        s.put("manuals", manuals());
        s.put("vectors", db.rows("SELECT entry_id, model_id, text_sha256 FROM entry_vectors ORDER BY entry_id"));
        s.put("audit", auditRowsExceptJobs());
        return s;
    }

    List<Map<String, Object>> auditRowsExceptJobs() {
        return db.rows("SELECT id, action, details_json FROM audit_log WHERE action NOT LIKE 'job.%' ORDER BY id");
    }

    long auditCount(String action) {
        return db.count("SELECT count(*) FROM audit_log WHERE action = ?", action);
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
