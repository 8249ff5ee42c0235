package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ConsoleClient;
import dev.chl.testing.Http;
import dev.chl.testing.SseClient;
import dev.chl.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration backup the console hands out is one the console (and the API) takes back. */
class ConsoleSettingsBackupTest {

    @Test
    void aBackupDownloadedFromTheConsoleRestoresThroughTheConsole() {
        try (TestServer source = TestServer.start(); TestServer target = TestServer.start()) {
            source.http().put("/api/v1/settings/search", Map.of("too_close_threshold", 0.91, "related_threshold", 0.55));
            source.http().put("/api/v1/settings/retention", Map.of("audit_days", 45, "worker_metrics_hours", 12));
            ConsoleClient sourceConsole = ConsoleClient.of(source);
            sourceConsole.page("/settings");
            Http.Response backup = sourceConsole.get("/ui/settings/backup", Map.of());
            assertThat(backup.status()).isEqualTo(200);
            assertThat(backup.body()).contains("\"too_close_threshold\"").doesNotContain("tooCloseThreshold");

            ConsoleClient targetConsole = ConsoleClient.of(target);
            targetConsole.page("/settings");
            Http.Response restored = targetConsole.upload("/ui/settings/restore", Map.of(), "file", "chl-settings.json",
                    backup.body().getBytes(StandardCharsets.UTF_8));
            assertThat(restored.status()).as(restored.body()).isEqualTo(200);
            assertThat(restored.header("HX-Redirect")).isEqualTo("/settings");
            // The success message goes with the redirect: the page it leads to shows it (once), not the page being left.
            assertThat(restored.header("HX-Trigger")).isNull();
            assertThat(org.jsoup.Jsoup.parse(targetConsole.page("/settings").body()).selectFirst("#toasts").attr("data-flash"))
                    .isEqualTo("Settings restored from the backup");
            assertThat(org.jsoup.Jsoup.parse(targetConsole.page("/settings").body()).selectFirst("#toasts").hasAttr("data-flash"))
                    .as("shown once").isFalse();
            var search = target.http().get("/api/v1/settings").json().path("search");
            assertThat(search.path("too_close_threshold").asDouble()).isEqualTo(0.91);
            assertThat(search.path("related_threshold").asDouble()).isEqualTo(0.55);
            assertThat(target.http().get("/api/v1/settings").json().path("retention").path("audit_days").asInt()).isEqualTo(45);
        }
    }

    @Test
    void aPageWhoseSessionEndedIsToldToReloadInsteadOfGettingAFreshSession() {
        try (TestServer server = TestServer.start()) {
            SseClient.Answer live = SseClient.probe(server.baseUrl(), "/ui/events", Map.of("Cookie", "chl_session=from-before-a-restart"));
            assertThat(live.status()).isEqualTo(403);
            assertThat(live.body()).contains("reload the page");
            ConsoleClient stale = ConsoleClient.of(server);
            Http.Response fragment = stale.fragment("/ui/workers/panel");
            assertThat(fragment.status()).isEqualTo(403);
            assertThat(fragment.header("Set-Cookie")).as("no new session behind the page's back").isNull();
        }
    }
}
