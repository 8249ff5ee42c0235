package dev.chl.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ConsoleClient;
import dev.chl.testing.OpsJobs;
import dev.chl.testing.ServerExtension;
import java.time.Duration;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The fragments the pages refresh live (on an SSE event, or by polling while the live channel is down) render the
 * same state the JSON API reports.
 */
class ConsoleFragmentsTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static ConsoleClient browser;
    private static String backupJob;

    @BeforeAll
    static void backupAndConsole() {
        OpsJobs.awaitIdle(server.http(), Duration.ofSeconds(60));
        backupJob = OpsJobs.run(server.http(), "backup", Map.of()).path("job_id").asString();
        browser = server.console();
        browser.page("/operations");
    }

    private static Document fragment(String path) {
        var r = browser.fragment(path);
        assertThat(r.status()).as("%s: %s", path, r).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/html");
        return Jsoup.parseBodyFragment(r.body());
    }

    @Test
    void theWorkersPanelListsEveryWorkerWithItsStatus() {
        Document panel = fragment("/ui/workers/panel");

        JsonNode workers = server.api().workers().path("workers");
        assertThat(workers).isNotEmpty();
        for (JsonNode w : workers) {
            String id = w.path("id").asString();
            assertThat(panel.select("tr#worker-" + id + " [data-worker-status]")).as(id).hasSize(1);
        }
        assertThat(panel.select("tr[id^=worker-]")).hasSize(workers.size());
        assertThat(panel.select("#queue-pending")).hasSize(1);
        assertThat(panel.select("svg.chart")).hasSize(1);
    }

    @Test
    void theOperationCardsSwapInOutOfBand() {
        Document cards = fragment("/ui/operations/cards");

        for (String type : new String[] {"import", "export", "index-rebuild", "backup", "embeddings-sync"}) {
            assertThat(cards.select("#controls-" + type + "[hx-swap-oob=true]")).as(type).hasSize(1);
            assertThat(cards.select("#status-" + type + "[hx-swap-oob=true]")).as(type).hasSize(1);
        }
        assertThat(cards.select("#status-backup .last-run").text()).contains("succeeded").contains("by api-client (api)");
    }

    @Test
    void theOverviewLiveBlockShowsHealthAndWork() {
        Document live = fragment("/ui/overview/live");

        assertThat(live.select("#health-title .badge").text()).isEqualTo(server.http().get("/health").json().path("status").asString());
        assertThat(live.select("#work-title")).hasSize(1);
        assertThat(live.select("table tbody tr td:first-child").eachText()).contains("database", "index", "workers");
    }

    @Test
    void theIndexPanelShowsTheIndexFigures() {
        Document panel = fragment("/ui/index/panel");

        assertThat(panel.select("#index-documents").text())
                .isEqualTo(String.format(java.util.Locale.ROOT, "%,d", server.api().index().path("documents").asLong()));
        assertThat(panel.select("#controls-index-rebuild button[hx-post=/ui/operations/index-rebuild]")).hasSize(1);
    }

    @Test
    void anActionFromTheIndexPageAnswersWithTheRebuildCardOnlyAndFromOperationsWithAll() {
        java.util.Map<String, String> fromIndex = browser.formHeaders();
        fromIndex.put("HX-Current-URL", server.baseUrl() + "/index");
        Document index = org.jsoup.Jsoup.parse(browser.post("/ui/operations/embeddings-sync", java.util.Map.of(), fromIndex).body());
        assertThat(index.select("[hx-swap-oob]").eachAttr("id")).as("the Index page has no other card to swap")
                .allMatch(id -> id.endsWith("index-rebuild"));

        dev.chl.testing.OpsJobs.awaitIdle(server.http(), java.time.Duration.ofSeconds(30)); // one sync at a time
        java.util.Map<String, String> fromOperations = browser.formHeaders();
        fromOperations.put("HX-Current-URL", server.baseUrl() + "/operations?type=backup");
        Document operations = org.jsoup.Jsoup.parse(browser.post("/ui/operations/embeddings-sync", java.util.Map.of(), fromOperations).body());
        assertThat(operations.select("[hx-swap-oob]").eachAttr("id")).anyMatch(id -> id.endsWith("import"))
                .anyMatch(id -> id.endsWith("backup"));
    }

    @Test
    void theJobHistoryFiltersByType() {
        assertThat(fragment("/ui/operations/history?type=import").select("table.history tbody").text()).isEqualTo("No jobs match.");
        assertThat(fragment("/ui/operations/history?type=backup").select("table.history tbody td.mono").eachText()).contains(backupJob);
        assertThat(fragment("/ui/operations/history").select("table.history tbody td.mono").eachText()).contains(backupJob);
    }
}
