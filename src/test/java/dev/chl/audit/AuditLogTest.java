package dev.chl.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chl.common.Times;
import dev.chl.common.ValidationException;
import dev.chl.model.Actor;
import dev.chl.model.AuditEvent;
import dev.chl.model.Channel;
import dev.chl.model.Page;
import dev.chl.settings.SettingsService;
import dev.chl.store.Database;
import dev.chl.testing.MutableClock;
import dev.chl.testing.Sqlite;
import dev.chl.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The audit log service on a real SQLite file: recording, listing, pruning by retention. */
class AuditLogTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    @TempDir
    Path dir;
    private Database database;
    private MutableClock clock;
    private AuditLog audit;
    private Sqlite sql;

    @BeforeEach
    void open() {
        database = Database.openSqlite(dir.resolve("audit.db"));
        database.migrate();
        clock = new MutableClock(NOW);
        audit = new AuditLog(database, JSON, clock);
        sql = new Sqlite(dir.resolve("audit.db"));
    }

    @AfterEach
    void close() {
        database.close();
    }

    private void recordAt(Instant at, String action) {
        clock.set(at);
        database.write(tx -> {
            audit.record(tx, new Actor("tester", Channel.CLI), action, Map.of("at", at.toString()));
            return null;
        });
        clock.set(NOW);
    }

    private long rows() {
        return sql.count("SELECT count(*) FROM audit_log");
    }

    @Test
    void recordStoresTheActorChannelActionAndDetails() {
        recordAt(NOW, "thing.done");
        Page<AuditEvent> page = audit.list(new AuditFilter(null, null, null, null, null));
        assertThat(page.items()).hasSize(1);
        AuditEvent e = page.items().getFirst();
        assertThat(e.actor()).isEqualTo("tester");
        assertThat(e.source()).isEqualTo(Channel.CLI);
        assertThat(e.action()).isEqualTo("thing.done");
        assertThat(e.timestamp()).isEqualTo(NOW);
        assertThat(e.details()).containsEntry("at", NOW.toString());
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void pruneRemovesRowsOlderThanTheRetentionAndKeepsTheRest() {
        recordAt(NOW.minus(200, ChronoUnit.DAYS), "very.old");
        recordAt(NOW.minus(91, ChronoUnit.DAYS), "just.too.old");
        recordAt(NOW.minus(89, ChronoUnit.DAYS), "recent.enough");
        recordAt(NOW.minus(1, ChronoUnit.HOURS), "fresh");
        sql.insertAudit(Times.format(NOW.minus(200, ChronoUnit.DAYS)), "someone", "api", "inserted.directly", "{}");
        assertThat(rows()).isEqualTo(5);

        int removed = audit.prune(Duration.ofDays(90));

        assertThat(removed).isEqualTo(3);
        assertThat(sql.rows("SELECT action FROM audit_log ORDER BY id")).extracting(r -> r.get("action"))
                .containsExactly("recent.enough", "fresh");
        assertThat(audit.prune(Duration.ofDays(90))).as("pruning again removes nothing").isZero();
    }

    @Test
    void pruneUsesTheClockNotTheWallTime() {
        recordAt(NOW.minus(10, ChronoUnit.DAYS), "ten.days");
        assertThat(audit.prune(Duration.ofDays(30))).isZero();
        clock.set(NOW.plus(25, ChronoUnit.DAYS));
        assertThat(audit.prune(Duration.ofDays(30))).isEqualTo(1);
        assertThat(rows()).isZero();
    }

    @Test
    void thePruneTaskReadsTheRetentionFromSettingsAtEachRun() {
        SettingsService settings = new SettingsService(database, audit, JSON, clock);
        AuditPruneTask task = new AuditPruneTask(audit, () -> settings.retention().audit());
        recordAt(NOW.minus(200, ChronoUnit.DAYS), "old");
        recordAt(NOW.minus(40, ChronoUnit.DAYS), "forty.days");
        recordAt(NOW.minus(20, ChronoUnit.DAYS), "twenty.days");

        task.run(); // default retention: 90 days
        assertThat(sql.rows("SELECT action FROM audit_log ORDER BY id")).extracting(r -> r.get("action"))
                .containsExactly("forty.days", "twenty.days");

        settings.updateRetention(new Actor("admin", Channel.API), Map.of("audit_days", 30));
        task.run();
        assertThat(sql.rows("SELECT action FROM audit_log ORDER BY id")).extracting(r -> r.get("action"))
                .containsExactly("twenty.days", "settings.update");
    }

    @Test
    void listPagesByCursorNewestFirst() {
        for (int i = 0; i < 5; i++) {
            recordAt(NOW.minusSeconds(10 - i), "step." + i);
        }
        Page<AuditEvent> first = audit.list(new AuditFilter(null, null, null, 2, null));
        assertThat(first.items()).extracting(AuditEvent::action).containsExactly("step.4", "step.3");
        Page<AuditEvent> second = audit.list(new AuditFilter(null, null, null, 2, first.nextCursor()));
        assertThat(second.items()).extracting(AuditEvent::action).containsExactly("step.2", "step.1");
        Page<AuditEvent> third = audit.list(new AuditFilter(null, null, null, 2, second.nextCursor()));
        assertThat(third.items()).extracting(AuditEvent::action).containsExactly("step.0");
        assertThat(third.nextCursor()).isNull();
    }

    @Test
    void listRejectsBadLimitsCursorsAndTimes() {
        assertThatThrownBy(() -> audit.list(new AuditFilter(null, null, null, 0, null))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> audit.list(new AuditFilter(null, null, null, AuditLog.MAX_PAGE + 1, null)))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> audit.list(new AuditFilter(null, null, null, null, "bm90LWEtbnVtYmVy")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("cursor");
        assertThatThrownBy(() -> audit.list(new AuditFilter(null, null, "last tuesday", null, null)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("since");
    }

    @Test
    void theServerPrunesOldAuditRowsWhenItStarts() throws Exception {
        Path data = Files.createTempDirectory("chl-prune-");
        try (TestServer server = TestServer.startIn(data)) {
            Sqlite db = Sqlite.of(server);
            db.insertAudit(Times.format(Instant.now().minus(200, ChronoUnit.DAYS)), "old-actor", "api", "ancient.change", "{}");
            db.insertAudit(Times.format(Instant.now().minus(10, ChronoUnit.DAYS)), "old-actor", "api", "recent.change", "{}");
            assertThat(db.count("SELECT count(*) FROM audit_log WHERE actor = 'old-actor'")).isEqualTo(2);

            server.restart(); // the prune task runs right after start, then hourly

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (db.count("SELECT count(*) FROM audit_log WHERE action = 'ancient.change'") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(db.rows("SELECT action FROM audit_log WHERE actor = 'old-actor'")).extracting(r -> r.get("action"))
                    .containsExactly("recent.change");
            assertThat(server.http().get("/api/v1/audit?actor=old-actor").json().path("items")).hasSize(1);
        }
    }
}
