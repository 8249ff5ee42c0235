package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Http;
import dev.chl.testing.TestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class HealthApiTest {
    @Test
    void healthReportsOkWithTheDatabaseComponent() {
        try (TestServer server = TestServer.start()) {
            // At first start the index heals (the seeded guides enter it) and workers send a first heartbeat.
            Http.Response r = server.http().get("/health");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!r.json().path("status").asString().equals("ok") && System.currentTimeMillis() < deadline) {
                r = server.http().get("/health");
            }
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).startsWith("application/json");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
            JsonNode body = r.json();
            assertThat(body.path("status").asString()).isEqualTo("ok");
            JsonNode database = body.path("components").path("database");
            assertThat(database.path("status").asString()).isEqualTo("ok");
            assertThat(database.path("engine").asString()).isEqualTo("sqlite");
            assertThat(database.path("latency_ms").isNumber()).isTrue();
            assertThat(database.path("latency_ms").asDouble()).isGreaterThanOrEqualTo(0.0);
        }
    }
}
