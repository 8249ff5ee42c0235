package dev.chl.entries;

import dev.chl.audit.AuditLog;
import dev.chl.common.Times;
import dev.chl.model.Actor;
import dev.chl.model.Category;
import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import dev.chl.store.Database;
import dev.chl.store.SettingRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * First-start content: starter categories and the GLN guides. Applied once per seed version (recorded in settings),
 * so restarts never duplicate it and an operator's later deletions stay deleted — which is why the guides themselves
 * cannot be deleted ({@link #isGuide}).
 */
public final class LibrarySeed {
    static final int VERSION = 1;
    static final String VERSION_KEY = "seed.version";
    public static final String GENERATOR_GUIDE_ID = "MNL-GLN-20260101-000000001";
    public static final String EVALUATOR_GUIDE_ID = "MNL-GLN-20260101-000000002";
    private static final Set<String> GUIDE_IDS = Set.of(GENERATOR_GUIDE_ID, EVALUATOR_GUIDE_ID);

    private static final List<Category> CATEGORIES = List.of(
            category("GLN", "Guidelines", "How assistants use CHL: the generator guide (before a task) and the evaluator guide (after)."),
            category("ARC", "Architecture", "Boundaries, modules, dependencies and the shape of systems."),
            category("API", "API design", "HTTP and library interfaces: contracts, versioning, errors, pagination."),
            category("DAT", "Data and databases", "Schemas, migrations, queries, transactions and data integrity."),
            category("TST", "Testing", "Test design, fixtures, flaky tests, coverage that catches bugs."),
            category("ERR", "Errors and resilience", "Failure handling, retries, timeouts, idempotency, graceful degradation."),
            category("PRF", "Performance", "Measuring first, latency and throughput, memory, caching."),
            category("SEC", "Security", "Secrets, authentication, input handling, least privilege."),
            category("OPS", "Operations", "Deployment, configuration, observability, incidents."),
            category("DOC", "Documentation", "READMEs, changelogs, decision records, comments that age well."));

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;

    public LibrarySeed(Database database, AuditLog audit, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Whether {@code id} is one of the two assistant guides. get_guidelines, the MCP prompts and chl://guides/* read
     * them, and the seed runs once: a deleted guide would never come back, so they can be edited but not deleted.
     */
    public static boolean isGuide(String id) {
        return GUIDE_IDS.contains(id);
    }

    /** Seeds if this store has not seen this seed version yet; returns whether it did. */
    public boolean applyIfNeeded() {
        return database.write(tx -> {
            boolean seeded = tx.settings().find(VERSION_KEY).map(r -> Integer.parseInt(r.valueJson()) >= VERSION).orElse(false);
            if (seeded) {
                return false;
            }
            Instant now = clock.instant();
            int added = 0;
            for (Category c : CATEGORIES) {
                if (!tx.categories().exists(c.code())) {
                    tx.categories().insert(new Category(c.code(), c.name(), c.description(), now));
                    added++;
                }
            }
            for (Entry guide : List.of(
                    guide(GENERATOR_GUIDE_ID, "Generator guide: using CHL before a task", "guides/generator.md",
                            "Search the right shelf with [SEARCH]/[TASK] queries and apply the few heuristics that fit.", now),
                    guide(EVALUATOR_GUIDE_ID, "Evaluator guide: recording what a task taught", "guides/evaluator.md",
                            "Keep reusable, non-obvious lessons as atomic experiences after checking for duplicates.", now))) {
                if (tx.entries().find(Kind.MANUAL, guide.id()).isEmpty()) {
                    tx.entries().insert(guide);
                    added++;
                }
            }
            String stamp = Times.format(now);
            tx.settings().put(new SettingRow(VERSION_KEY, Integer.toString(VERSION), null, stamp, "first-start content", stamp));
            audit.record(tx, Actor.system(), "seed.apply", Map.of("version", VERSION, "rows_added", added));
            return true;
        });
    }

    private static Category category(String code, String name, String description) {
        return new Category(code, name, description, null);
    }

    private static Entry guide(String id, String title, String resource, String summary, Instant now) {
        return new Entry(id, Kind.MANUAL, "GLN", null, title, null, null, text(resource), summary, Source.GLOBAL,
                SyncStatus.SYNCED, "CHL", EmbeddingStatus.PENDING, now, now, now, null);
    }

    static String text(String resource) {
        try (InputStream in = LibrarySeed.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
