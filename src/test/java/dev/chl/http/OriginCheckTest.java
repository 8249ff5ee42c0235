package dev.chl.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Http;
import dev.chl.testing.ServerExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A web page on another site cannot change the server through the API or /mcp; scripts and same-origin pages can. */
class OriginCheckTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();

    private static final Map<String, Object> CATEGORY = Map.of("code", "ORG", "name", "Origins");

    @Test
    void sameOriginIsReadByHostAndPort() {
        assertThat(OriginCheck.sameOrigin("http://127.0.0.1:8000", "127.0.0.1:8000")).isTrue();
        assertThat(OriginCheck.sameOrigin("http://LOCALHOST:8000", "localhost:8000")).isTrue();
        assertThat(OriginCheck.sameOrigin("http://localhost", "localhost:80")).isTrue();
        assertThat(OriginCheck.sameOrigin("https://chl.team.example", "chl.team.example")).isTrue();
        assertThat(OriginCheck.sameOrigin("http://localhost:3000", "localhost:8000")).as("another port is another origin").isFalse();
        assertThat(OriginCheck.sameOrigin("http://evil.example", "127.0.0.1:8000")).isFalse();
        assertThat(OriginCheck.sameOrigin("null", "127.0.0.1:8000")).as("sandboxed pages and files").isFalse();
        assertThat(OriginCheck.sameOrigin("not a url", "127.0.0.1:8000")).isFalse();
    }

    @Test
    void aForeignOriginCannotWriteThroughTheApi() {
        Http foreign = server.http().withHeader("Origin", "http://evil.example");
        Http.Response r = foreign.raw("POST", "/api/v1/operations/backup", "text/plain", "");
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.json().path("detail").asString()).contains("http://evil.example");
        assertThat(foreign.post("/api/v1/categories", CATEGORY).status()).isEqualTo(403);
        assertThat(server.http().get("/api/v1/operations/jobs?type=backup").json().path("jobs")).as("no job was started").isEmpty();
        assertThat(foreign.get("/api/v1/categories").status()).as("reading is harmless: the page cannot see the answer").isEqualTo(200);
    }

    @Test
    void aCrossSiteMultipartUploadIsRefusedAndChangesNothing() {
        String before = server.http().get("/api/v1/settings").body();
        Http crossSite = server.http().withHeader("Sec-Fetch-Site", "cross-site");
        Http.Response r = crossSite.upload("/api/v1/settings/restore", "file", "backup.json",
                "{\"version\":1,\"retention\":{\"audit_days\":1}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(server.http().get("/api/v1/settings").body()).isEqualTo(before);
        assertThat(server.http().withHeader("Sec-Fetch-Site", "same-site").post("/api/v1/categories", CATEGORY).status())
                .as("another port of localhost is same-site, not same-origin").isEqualTo(403);
    }

    @Test
    void aForeignOriginCannotCallMcpTools() {
        Http.Response r = server.http().withHeader("Origin", "http://evil.example").withHeader("Accept", "application/json, text/event-stream")
                .raw("POST", "/mcp", "application/json", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                        + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"x\",\"version\":\"1\"}}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
    }

    @Test
    void scriptsAndSameOriginPagesStillWrite() {
        String own = server.http().baseUrl();
        assertThat(server.http().withHeader("Origin", own).withHeader("Sec-Fetch-Site", "same-origin")
                .post("/api/v1/categories", Map.of("code", "ORH", "name", "Same origin")).status()).isEqualTo(201);
        assertThat(server.http().post("/api/v1/categories", Map.of("code", "ORI", "name", "No origin")).status()).isEqualTo(201);
    }
}
