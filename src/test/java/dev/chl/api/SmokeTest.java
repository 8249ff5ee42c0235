package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Await;
import dev.chl.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void serverAnswersHealth() {
        try (TestServer server = TestServer.start()) {
            // A fresh data directory starts with an index rebuild in the background; health is "degraded" until it ends.
            var response = Await.until("health ok", Duration.ofSeconds(10), () -> server.http().get("/health"),
                    r -> r.status() == 200 && r.json().path("status").asString().equals("ok"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().path("status").asString()).isEqualTo("ok");
        }
    }
}
