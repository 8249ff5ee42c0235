package dev.chl.ops;

import dev.chl.common.ConflictException;
import dev.chl.common.Text;
import dev.chl.model.Actor;
import dev.chl.search.IndexService;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heals the search index with an index-rebuild job: after start-up when the index is unreadable or disagrees with the
 * database, and when a read finds it damaged while the server runs. One path for both, so each shows in job history.
 */
public final class IndexHeal {
    private static final Logger LOG = LoggerFactory.getLogger(IndexHeal.class);
    /** Below the rebuild job's 500-character limit on its reason: an exception's message can be longer. */
    private static final int MAX_REASON = 480;

    private final Operations operations;
    private final IndexService index;

    public IndexHeal(Operations operations, IndexService index) {
        this.operations = operations;
        this.index = index;
    }

    /** The start-up check (DESIGN §4): rebuilds when the index could not be opened or disagrees with the database. */
    public void checkAtStartUp() {
        String reason = index.rebuildReason();
        if (reason != null) {
            start("start-up check: " + reason);
        }
    }

    /**
     * Starts a rebuild; returns its job id — or that of a rebuild already running, which heals the index as well — or
     * empty when another job holds the index lock (an import: the index is rebuilt once asked again after it).
     */
    public Optional<String> start(String reason) {
        String cleaned = Text.truncate(reason.replaceAll("\\p{Cntrl}", " "), MAX_REASON);
        try {
            return Optional.of(String.valueOf(operations.start(Actor.system(), JobType.INDEX_REBUILD, Map.of("reason", cleaned)).get("job_id")));
        } catch (ConflictException e) {
            Object holder = e.extensions().get("holder_job_id");
            if (holder != null && JobType.INDEX_REBUILD.wire().equals(operations.get(String.valueOf(holder)).get("job_type"))) {
                return Optional.of(String.valueOf(holder));
            }
            LOG.warn("could not start a rebuild to heal the search index ({}): {}", cleaned, e.getMessage());
            return Optional.empty();
        }
    }
}
