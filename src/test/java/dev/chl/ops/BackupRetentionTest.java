package dev.chl.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Http;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.ServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Backups are bounded: after each new one only the newest {@code retention.backups_kept} stay; other files stay too. */
class BackupRetentionTest {
    @RegisterExtension
    final ServerExtension server = ServerExtension.perTest();

    private Path backups() {
        return server.server().dataDir().resolve("backups");
    }

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void eachBackupDeletesAllButTheNewestKeptAndNeverTouchesOtherFiles() throws Exception {
        OpsJobs.awaitIdle(server.http(), Duration.ofSeconds(60));
        Http.Response set = server.http().put("/api/v1/settings/retention", Map.of("backups_kept", 2));
        assertThat(set.status()).as("%s", set).isEqualTo(200);
        assertThat(set.json().path("backups_kept").asInt()).isEqualTo(2);
        Files.createDirectories(backups());
        Files.writeString(backups().resolve("notes.txt"), "kept by hand");
        Files.writeString(backups().resolve("chl-before-upgrade.db"), "a copy someone made");

        List<String> taken = new ArrayList<>();
        List<JsonNode> summaries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode summary = OpsJobs.run(server.http(), "backup", Map.of()).path("result_summary");
            summaries.add(summary);
            taken.add(Path.of(summary.path("file").asString()).getFileName().toString());
        }

        assertThat(filesIn(backups())).containsExactlyInAnyOrder(taken.get(1), taken.get(2), "notes.txt", "chl-before-upgrade.db");
        assertThat(summaries.get(0).get("old_backups_deleted")).isNotNull().isEmpty();
        assertThat(summaries.get(1).get("old_backups_deleted")).isNotNull().isEmpty();
        assertThat(summaries.get(2).get("old_backups_deleted")).hasSize(1);
        assertThat(summaries.get(2).get("old_backups_deleted").get(0).asString()).isEqualTo(taken.get(0));
        assertThat(summaries.get(2).path("backups_kept").asInt()).isEqualTo(2);
    }

    @Test
    void theNumberKeptIsValidatedAndDefaultsToTwentyForSettingsSavedBeforeIt() {
        Http http = server.http();
        assertThat(http.get("/api/v1/settings").json().path("retention").path("backups_kept").asInt()).isEqualTo(20);
        for (int bad : new int[] {0, 1001}) {
            Http.Response r = http.put("/api/v1/settings/retention", Map.of("backups_kept", bad));
            assertThat(r.status()).as("backups_kept %d: %s", bad, r).isEqualTo(422);
            assertThat(r.json().path("errors").get(0).path("field").asString()).isEqualTo("backups_kept");
        }
        assertThat(http.put("/api/v1/settings/retention", Map.of("audit_days", 30)).status()).isEqualTo(200);
        // A retention row written before backups were counted has no backups_kept.
        assertThat(server.db().exec("UPDATE settings SET value_json = ? WHERE key = 'retention'",
                "{\"audit_days\":30,\"worker_metrics_hours\":12}")).isEqualTo(1);
        JsonNode retention = http.get("/api/v1/settings").json().path("retention");
        assertThat(retention.path("audit_days").asInt()).isEqualTo(30);
        assertThat(retention.path("backups_kept").asInt()).isEqualTo(20);
    }
}
