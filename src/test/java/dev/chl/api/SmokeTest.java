package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.TestServer;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void serverAnswersHealth() {
        try (TestServer server = TestServer.start()) {
            var response = server.http().get("/health");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().path("status").asString()).isEqualTo("ok");
        }
    }
}
