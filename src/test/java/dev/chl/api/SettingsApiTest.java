package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Http;
import dev.chl.testing.Sqlite;
import dev.chl.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import tools.jackson.databind.JsonNode;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SettingsApiTest {
    private static TestServer server;
    private static Http http;
    private static Sqlite db;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = server.http();
        db = Sqlite.of(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode retention() {
        Http.Response r = http.get("/api/v1/settings");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        return r.json().path("retention");
    }

    @Test
    @Order(1)
    void defaultsAreNinetyDaysOfAuditAndADayOfMetrics() {
        JsonNode retention = retention();
        assertThat(retention.path("audit_days").asInt()).isEqualTo(90);
        assertThat(retention.path("worker_metrics_hours").asInt()).isEqualTo(24);
    }

    @Test
    @Order(2)
    void putChangesOnlyTheGivenWindowAndIsAudited() {
        Http.Response r = http.as("settings-admin").put("/api/v1/settings/retention", Map.of("audit_days", 30));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().path("audit_days").asInt()).isEqualTo(30);
        assertThat(r.json().path("worker_metrics_hours").asInt()).isEqualTo(24);
        assertThat(retention().path("audit_days").asInt()).isEqualTo(30);

        Http.Response both = http.put("/api/v1/settings/retention", Map.of("worker_metrics_hours", 48, "audit_days", 365));
        assertThat(both.json().path("audit_days").asInt()).isEqualTo(365);
        assertThat(both.json().path("worker_metrics_hours").asInt()).isEqualTo(48);
        assertThat(retention().path("worker_metrics_hours").asInt()).isEqualTo(48);

        JsonNode audit = http.get("/api/v1/audit?actor=settings-admin").json().path("items");
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).path("action").asString()).isEqualTo("settings.update");
        assertThat(audit.get(0).path("details").path("section").asString()).isEqualTo("retention");
        assertThat(audit.get(0).path("details").path("value").path("audit_days").asInt()).isEqualTo(30);

        Map<String, Object> stored = db.rows("SELECT value_json FROM settings WHERE key = 'retention'").getFirst();
        JsonNode value = Http.JSON.readTree((String) stored.get("value_json"));
        assertThat(value.path("audit_days").asInt()).isEqualTo(365);
    }

    @Test
    @Order(3)
    void boundariesAreAccepted() {
        assertThat(http.put("/api/v1/settings/retention", Map.of("audit_days", 1, "worker_metrics_hours", 1)).status()).isEqualTo(200);
        assertThat(http.put("/api/v1/settings/retention", Map.of("audit_days", 3650, "worker_metrics_hours", 720)).status()).isEqualTo(200);
        assertThat(retention().path("audit_days").asInt()).isEqualTo(3650);
        assertThat(http.put("/api/v1/settings/retention", Map.of()).status()).as("an empty change keeps all").isEqualTo(200);
        assertThat(retention().path("worker_metrics_hours").asInt()).isEqualTo(720);
    }

    @Test
    @Order(4)
    void invalidValuesAre422AndChangeNothing() {
        http.put("/api/v1/settings/retention", Map.of("audit_days", 45, "worker_metrics_hours", 12));
        long audits = db.count("SELECT count(*) FROM audit_log WHERE action LIKE 'settings.%'");
        List<Map<String, Object>> bad = List.of(
                Map.of("audit_days", 0),
                Map.of("audit_days", 3651),
                Map.of("audit_days", -5),
                Map.of("audit_days", "ninety"),
                Map.of("audit_days", 1.5),
                Map.of("worker_metrics_hours", 721),
                Map.of("worker_metrics_hours", true),
                Map.of("keep_forever", true));
        for (Map<String, Object> body : bad) {
            Http.Response r = http.put("/api/v1/settings/retention", body);
            assertThat(r.status()).as("%s -> %s", body, r).isEqualTo(422);
            assertThat(r.isProblem()).isTrue();
            List<String> fields = StreamSupport.stream(r.json().path("errors").spliterator(), false)
                    .map(e -> e.path("field").asString()).toList();
            assertThat(fields).containsExactly(body.keySet().iterator().next());
        }
        Map<String, Object> twoBad = new LinkedHashMap<>();
        twoBad.put("audit_days", 0);
        twoBad.put("worker_metrics_hours", 0);
        assertThat(http.put("/api/v1/settings/retention", twoBad).json().path("errors")).hasSize(2);

        assertThat(retention().path("audit_days").asInt()).isEqualTo(45);
        assertThat(retention().path("worker_metrics_hours").asInt()).isEqualTo(12);
        assertThat(db.count("SELECT count(*) FROM audit_log WHERE action LIKE 'settings.%'")).isEqualTo(audits);
        assertThat(http.raw("PUT", "/api/v1/settings/retention", "text/plain", "{}").status()).isEqualTo(415);
        assertThat(http.raw("PUT", "/api/v1/settings/retention", "application/json", "[]").status()).isEqualTo(400);
    }

    @Test
    @Order(5)
    void settingsSurviveARestart() {
        http.put("/api/v1/settings/retention", Map.of("audit_days", 77));
        server.restart();
        http = server.http();
        assertThat(retention().path("audit_days").asInt()).isEqualTo(77);
    }

    @Test
    @Order(6)
    void unknownSectionIs404() {
        Http.Response r = http.put("/api/v1/settings/nonsense", Map.of("x", 1));
        assertThat(r.status()).isIn(404, 405);
        assertThat(r.isProblem()).isTrue();
    }
}
