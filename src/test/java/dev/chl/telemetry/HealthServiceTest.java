package dev.chl.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthServiceTest {
    @Test
    void okOnlyWhenEveryComponentIsOk() {
        HealthService health = new HealthService()
                .add("database", () -> ComponentHealth.ok(Map.of("engine", "sqlite")))
                .add("index", () -> ComponentHealth.ok(Map.of()));
        assertThat(health.report().status()).isEqualTo("ok");
        assertThat(health.report().components()).containsOnlyKeys("database", "index");

        health.add("workers", () -> ComponentHealth.degraded(Map.of("stale", 1)));
        assertThat(health.report().status()).isEqualTo("degraded");
        assertThat(health.report().components().get("workers").status()).isEqualTo("degraded");
    }

    @Test
    void aThrowingCheckIsReportedDownNotPropagated() {
        HealthService health = new HealthService()
                .add("database", () -> {
                    throw new IllegalStateException("disk on fire");
                });
        HealthService.HealthReport report = health.report();
        assertThat(report.status()).isEqualTo("degraded");
        ComponentHealth database = report.components().get("database");
        assertThat(database.status()).isEqualTo("down");
        assertThat(database.details().get("message").toString()).contains("IllegalStateException").contains("disk on fire");
    }
}
