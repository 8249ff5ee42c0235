package dev.chl.ops;

import dev.chl.common.Input;
import dev.chl.search.IndexService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds the search index from the database into a new generation; the old index serves until the swap, and a
 * cancel or timeout (checked between pages) leaves it exactly as it was.
 */
public final class IndexRebuildJob implements JobKind {
    private final IndexService index;

    public IndexRebuildJob(IndexService index) {
        this.index = index;
    }

    @Override
    public JobType type() {
        return JobType.INDEX_REBUILD;
    }

    @Override
    public Map<String, Object> options(Map<String, Object> requested) {
        Input in = new Input(requested).allowOnly(Set.of("reason"));
        String reason = in.optionalText("reason", 500, false);
        in.check();
        return reason == null ? Map.of() : Map.of("reason", reason);
    }

    @Override
    public JobBody body(Map<String, Object> options) {
        return ctx -> {
            long start = System.nanoTime();
            long count = index.rebuild((done, total) -> ctx.progress("indexing entries", done, total), () -> {
                ctx.checkpoint();
                return false;
            });
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("documents", count);
            summary.put("duration_ms", (System.nanoTime() - start) / 1_000_000);
            if (options.containsKey("reason")) {
                summary.put("reason", options.get("reason"));
            }
            return summary;
        };
    }
}
