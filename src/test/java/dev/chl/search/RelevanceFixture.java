package dev.chl.search;

import dev.chl.testing.ChlApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Twenty distinct experiences on four shelves (plus two manuals) for relevance tests. Each {@link Item} has a key the
 * tests use to name it; {@link #load} creates them and returns key → id.
 */
final class RelevanceFixture {
    static final String DATA = "RDB";
    static final String TESTING = "RTS";
    static final String RELIABILITY = "RRL";
    static final String SECURITY = "RSC";

    record Item(String key, String category, String title, String body, boolean manual) {}

    static final List<Item> ITEMS = List.of(
            exp("index", DATA, "Add an index before filtering large tables",
                    "A query that filters on an unindexed column reads every row. Create an index on the filtered column and "
                            + "confirm with EXPLAIN that the planner uses it."),
            exp("transaction", DATA, "Wrap multi-step writes in one transaction",
                    "When several rows must change together, run the statements in a single transaction so that a crash "
                            + "cannot leave half of the change applied."),
            exp("migration", DATA, "Never edit a migration that already shipped",
                    "Once a schema migration has run in production, add a new migration instead of changing the old file; "
                            + "other environments and the migration checksums depend on it."),
            exp("pool", DATA, "Reuse database connections through a bounded pool",
                    "Opening a fresh connection for every request is slow and can exhaust the server. Keep a bounded pool "
                            + "and return connections promptly."),
            exp("backup", DATA, "Take a backup before risky maintenance",
                    "Before bulk deletes or schema surgery, take a backup and practise the restore, so a mistake can be undone."),
            exp("flaky", TESTING, "Quarantine flaky tests instead of retrying them blindly",
                    "A test that passes and fails at random hides real defects. Move it out of the gating suite, find the "
                            + "source of nondeterminism and fix it."),
            exp("clock", TESTING, "Freeze the clock in time-dependent tests",
                    "Inject a controllable clock so checks about expiry, timeouts and schedules do not depend on the wall time "
                            + "or the day they run."),
            exp("public", TESTING, "Test behaviour through the public interface",
                    "Assert on what callers can observe, not on private helpers, so refactoring does not break the suite."),
            exp("fixtures", TESTING, "Keep test fixtures small and explicit",
                    "Large shared fixtures make it hard to see why a test passes; build only the data each test needs, next to it."),
            exp("regression", TESTING, "Write a failing test before fixing a bug",
                    "Reproduce the defect with a test that fails first, then fix it; the test then guards against the defect "
                            + "coming back."),
            exp("backoff", RELIABILITY, "Retry transient failures with exponential backoff and jitter",
                    "Network calls fail briefly. Wait longer after each attempt and add randomness so that clients do not "
                            + "retry in lockstep and overload the server."),
            exp("timeout", RELIABILITY, "Set a timeout on every outbound call",
                    "A remote call without a deadline can hold a thread forever when the other side stops answering; give "
                            + "every request a deadline and handle its expiry."),
            exp("idempotent", RELIABILITY, "Make message handlers idempotent",
                    "Queues deliver some messages more than once. Processing the same message again must not charge a "
                            + "customer twice; record what was already handled."),
            exp("breaker", RELIABILITY, "Use a circuit breaker around an unhealthy dependency",
                    "When a downstream service keeps erroring, stop calling it for a while and fail fast, then probe "
                            + "whether it has recovered."),
            exp("correlation", RELIABILITY, "Log a correlation id with every request",
                    "Attach one identifier to a request and print it in every log line, so the story of a single request "
                            + "can be followed across services."),
            exp("passwords", SECURITY, "Hash passwords with a slow salted algorithm",
                    "Use bcrypt, scrypt or argon2 for credentials; never keep them as plain text or behind a fast digest like MD5."),
            exp("secrets", SECURITY, "Keep secrets out of source control",
                    "API keys and tokens belong in a secret manager or the environment; never commit them to git, where the "
                            + "history keeps them forever."),
            exp("xss", SECURITY, "Escape user input in HTML output",
                    "Render untrusted text through the template engine's escaping to prevent cross-site scripting."),
            exp("uploads", SECURITY, "Validate uploads by their content, not their file name",
                    "Check the magic bytes and size of an uploaded file and store it outside the web root; a name like "
                            + "photo.jpg proves nothing."),
            exp("rotate", SECURITY, "Rotate credentials after a suspected leak",
                    "If a key may have been exposed, issue a new one, revoke the old one and review the access logs."),
            man("runbook", RELIABILITY, "Incident response runbook",
                    "When production is down, page the on-call engineer, open an incident channel, and write a timeline. "
                            + "Mitigate first, find the root cause later."),
            man("style", DATA, "SQL style guide",
                    "Write keywords in upper case, name tables in the plural, and give every foreign key an index."));

    private RelevanceFixture() {}

    private static Item exp(String key, String category, String title, String body) {
        return new Item(key, category, title, body, false);
    }

    private static Item man(String key, String category, String title, String body) {
        return new Item(key, category, title, body, true);
    }

    static Item item(String key) {
        return ITEMS.stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow();
    }

    /** Creates the categories and items; returns key → entry id (not yet waiting for embeddings). */
    static Map<String, String> load(ChlApi api) {
        for (String code : List.of(DATA, TESTING, RELIABILITY, SECURITY)) {
            api.category(code);
        }
        Map<String, String> ids = new LinkedHashMap<>();
        for (Item item : ITEMS) {
            ids.put(item.key(), item.manual()
                    ? api.manual(item.category(), item.title(), item.body())
                    : api.experience(item.category(), item.title(), item.body()));
        }
        return ids;
    }
}
