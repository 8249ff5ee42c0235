package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.embed.Pieces;
import dev.chl.testing.Await;
import dev.chl.testing.ChlApi;
import dev.chl.testing.ServerExtension;
import dev.chl.testing.SqliteFile;
import dev.chl.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The piece vectors (title and sentences of each entry, word windows of the query) that re-rank the first fused
 * results: stored by the workers, read from the database at query time, and embedded again for entries that predate
 * them.
 */
class PieceRerankTest {
    private static final String QUERY = "lesson about: the DB server refuses new sessions because every replica opens dozens"
            + " of links for the logistics partner connector for batch tasks that take hours";

    @RegisterExtension
    final ServerExtension server = ServerExtension.perTest();

    private static long pieceBytes(TestServer server, String id) {
        return SqliteFile.count(server.databaseFile(), "SELECT coalesce(length(pieces), 0) FROM entry_vectors WHERE entry_id = ?", id);
    }

    @Test
    void workersStoreOneVectorPerPieceBesideTheWholeText() {
        ChlApi api = server.api();
        api.category("DBS");
        String title = "Cap connection pool size per instance";
        String body = "Came up in the shipping integration. Compute pool size from core count. Otherwise connections run out.";
        String id = api.experience("DBS", title, body);
        api.awaitEmbedded(id);

        int pieces = Pieces.ofDocument(title, body).size();
        assertThat(pieces).isEqualTo(4);
        assertThat(pieceBytes(server.server(), id)).isEqualTo(8 + pieces * (4 + 384));
    }

    @Test
    void aClauseThatOnlyOneSentenceMatchesLiftsItsEntry() {
        ChlApi api = server.api();
        api.category("DBS");
        // Four entries from the relevance benchmark: on whole-text vectors alone the query's setting ("logistics
        // partner connector") pulls the probes entry above the connection-pool one it paraphrases.
        String wanted = api.experience("DBS", "Cap connection pool size per instance in the shipping integration for long-running jobs",
                "Came up for long-running jobs in the shipping integration. Compute pool size from core count and divide the server"
                        + " limit across instances. Otherwise too many idle connections exhaust server memory and max_connections."
                        + " Add a lint rule if the mistake is mechanical. Done when no new warnings appear in CI.");
        List<String> others = List.of(
                api.experience("DBS", "Add readiness and liveness probes in the shipping integration under peak load",
                        "Observed in the shipping integration under peak load. Expose separate readiness and liveness endpoints with"
                                + " different semantics. Otherwise traffic to unready instances causes error spikes. Ask the owning team"
                                + " before changing shared code. Done when the error rate stays flat for a week."),
                api.experience("DBS", "Acquire locks in a consistent order to avoid deadlocks in the shipping integration for long-running jobs",
                        "Learned for long-running jobs in the shipping integration. Document the ordering and assert it in debug builds."
                                + " Otherwise inconsistent ordering creates cycles in the wait graph. Pair the change with a short note in"
                                + " the team wiki. Done when the staging soak test passes."),
                api.experience("DBS", "Size the connection pool to the database limits for the auth gateway before a release",
                        "Learned before a release for the auth gateway. Compute pool size from core count and divide the server limit"
                                + " across instances. Otherwise too many idle connections exhaust server memory and max_connections. Roll"
                                + " it out behind a flag if unsure. Done when the staging soak test passes."));
        api.awaitEmbedded(wanted);
        api.awaitEmbedded(others);
        api.awaitQueueEmpty();

        assertThat(api.searchIds(QUERY).getFirst()).isEqualTo(wanted);

        // Without piece vectors (rows stored before they existed) the same search ranks by the whole texts only.
        SqliteFile.update(server.server().databaseFile(), "UPDATE entry_vectors SET pieces = NULL");
        assertThat(api.searchIds(QUERY).getFirst()).isNotEqualTo(wanted);
    }

    @Test
    void entriesEmbeddedBeforePiecesExistedAreEmbeddedAgainAtStartUp() {
        ChlApi api = server.api();
        api.category("DBS");
        String id = api.experience("DBS", "Cap connection pool size per instance", "Compute pool size from core count. Divide the server limit.");
        api.awaitEmbedded(id);
        api.awaitQueueEmpty();
        server.server().close();
        assertThat(SqliteFile.update(server.server().databaseFile(), "UPDATE entry_vectors SET pieces = NULL WHERE entry_id = ?", id)).isEqualTo(1);

        try (TestServer again = TestServer.startIn(server.server().dataDir())) {
            Await.until("the entry's pieces to be embedded again", Duration.ofSeconds(30), () -> pieceBytes(again, id) > 0);
            assertThat(ChlApi.of(again).embeddingStatus(id)).isEqualTo("embedded");
            assertThat(ChlApi.of(again).searchIds("connection pool size").getFirst()).isEqualTo(id);
        }
    }
}
