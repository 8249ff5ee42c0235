package dev.chl.audit;

import dev.chl.common.Cursors;
import dev.chl.common.Times;
import dev.chl.common.ValidationException;
import dev.chl.model.Actor;
import dev.chl.model.AuditEvent;
import dev.chl.model.Channel;
import dev.chl.model.Page;
import dev.chl.store.AuditQuery;
import dev.chl.store.AuditRow;
import dev.chl.store.Database;
import dev.chl.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log facade. Features call {@link #record} inside their own write transaction, so a change and its
 * audit row commit together or not at all.
 */
public final class AuditLog {
    public static final int MAX_PAGE = 500;
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};

    private final Database database;
    private final JsonMapper json;
    private final Clock clock;

    public AuditLog(Database database, JsonMapper json, Clock clock) {
        this.database = database;
        this.json = json;
        this.clock = clock;
    }

    /** Writes one audit row in the caller's transaction. */
    public void record(Tx tx, Actor actor, String action, Map<String, ?> details) {
        tx.audit().insert(Times.format(clock.instant()), actor.name(), actor.channel().wire(), action,
                json.writeValueAsString(details));
    }

    /** Writes one audit row in a transaction of its own (for actions that change nothing else in the database). */
    public void record(Actor actor, String action, Map<String, ?> details) {
        database.write(tx -> {
            record(tx, actor, action, details);
            return null;
        });
    }

    /** Newest first, filtered; {@code cursor} is the {@code next_cursor} of the previous page. */
    public Page<AuditEvent> list(AuditFilter filter) {
        int limit = filter.limit() == null ? 100 : filter.limit();
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ValidationException("limit", "must be between 1 and " + MAX_PAGE);
        }
        Long beforeId = filter.cursor() == null ? null : parseCursor(filter.cursor());
        String since = filter.since() == null ? null : Times.format(Times.parseSince("since", filter.since()));
        List<AuditRow> rows = database.read(tx -> tx.audit().list(
                new AuditQuery(blankToNull(filter.actor()), blankToNull(filter.action()), since, beforeId, limit + 1)));
        boolean more = rows.size() > limit;
        List<AuditEvent> events = rows.stream().limit(limit).map(this::toEvent).toList();
        String next = more ? Cursors.encode(Long.toString(events.getLast().id())) : null;
        return new Page<>(events, next);
    }

    /** Deletes audit rows older than {@code retention}; returns how many went. */
    public int prune(Duration retention) {
        String cutoff = Times.format(clock.instant().minus(retention));
        return database.write(tx -> tx.audit().deleteOlderThan(cutoff));
    }

    private AuditEvent toEvent(AuditRow row) {
        return new AuditEvent(row.id(), Instant.parse(row.timestamp()), row.actor(),
                Channel.fromWire("source", row.source()), row.action(), json.readValue(row.detailsJson(), DETAILS));
    }

    private static Long parseCursor(String cursor) {
        try {
            return Long.parseLong(Cursors.decode(cursor, 1).getFirst());
        } catch (NumberFormatException e) {
            throw Cursors.notOurs();
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
