package dev.chl.store;

import dev.chl.common.Times;
import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Section;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import dev.chl.model.EmbeddingFailure;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

/** All SQL for the {@code experiences} and {@code manuals} tables. */
public final class EntryTable {
    private static final String PROVENANCE =
            "source, sync_status, author, embedding_status, created_at, updated_at, synced_at, exported_at";
    private static final String EXPERIENCE_COLUMNS =
            "id, category_code, section, title, playbook, context, " + PROVENANCE;
    private static final String MANUAL_COLUMNS = "id, category_code, title, content, summary, " + PROVENANCE;

    private final Handle handle;

    EntryTable(Handle handle) {
        this.handle = handle;
    }

    private static String columns(Kind kind) {
        return kind == Kind.EXPERIENCE ? EXPERIENCE_COLUMNS : MANUAL_COLUMNS;
    }

    private static String table(Kind kind) {
        return kind.plural();
    }

    public void insert(Entry entry) {
        String cols = columns(entry.kind());
        String values = ":" + cols.replace(", ", ", :");
        bindAll(handle.createUpdate("INSERT INTO " + table(entry.kind()) + " (" + cols + ") VALUES (" + values + ")"), entry)
                .execute();
    }

    /** Writes every column of an existing entry; returns false when no row has its id. */
    public boolean update(Entry entry) {
        String assignments = columns(entry.kind()).replace("id, ", "").replaceAll("(\\w+)", "$1 = :$1");
        return bindAll(handle.createUpdate("UPDATE " + table(entry.kind()) + " SET " + assignments + " WHERE id = :id"), entry)
                .execute() == 1;
    }

    public Optional<Entry> find(Kind kind, String id) {
        return handle.createQuery("SELECT " + columns(kind) + " FROM " + table(kind) + " WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(kind, rs))
                .findOne();
    }

    public boolean delete(Kind kind, String id) {
        return handle.createUpdate("DELETE FROM " + table(kind) + " WHERE id = :id").bind("id", id).execute() == 1;
    }

    public long count(Kind kind) {
        return handle.createQuery("SELECT count(*) FROM " + table(kind)).mapTo(Long.class).one();
    }

    public List<Entry> list(EntryQuery q) {
        List<String> where = new ArrayList<>();
        if (q.categoryCode() != null) where.add("category_code = :category_code");
        if (q.source() != null) where.add("source = :source");
        if (q.syncStatus() != null) where.add("sync_status = :sync_status");
        if (q.embeddingStatus() != null) where.add("embedding_status = :embedding_status");
        if (q.afterId() != null) where.add("(created_at < :after_created_at OR (created_at = :after_created_at AND id < :after_id))");
        String sql = "SELECT " + columns(q.kind()) + " FROM " + table(q.kind())
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY created_at DESC, id DESC LIMIT :limit";
        Query query = handle.createQuery(sql)
                .bind("category_code", q.categoryCode())
                .bind("source", wire(q.source()))
                .bind("sync_status", wire(q.syncStatus()))
                .bind("embedding_status", wire(q.embeddingStatus()))
                .bind("after_created_at", q.afterCreatedAt())
                .bind("after_id", q.afterId())
                .bind("limit", q.limit());
        return query.map((rs, ctx) -> map(q.kind(), rs)).list();
    }

    private static <S extends SqlStatement<S>> S bindAll(S statement, Entry e) {
        statement.bind("id", e.id())
                .bind("category_code", e.categoryCode())
                .bind("title", e.title())
                .bind("source", wire(e.source()))
                .bind("sync_status", wire(e.syncStatus()))
                .bind("author", e.author())
                .bind("embedding_status", wire(e.embeddingStatus()))
                .bind("created_at", Times.format(e.createdAt()))
                .bind("updated_at", Times.format(e.updatedAt()))
                .bind("synced_at", Times.format(e.syncedAt()))
                .bind("exported_at", Times.format(e.exportedAt()));
        if (e.kind() == Kind.EXPERIENCE) {
            statement.bind("section", wire(e.section())).bind("playbook", e.playbook()).bind("context", e.context());
        } else {
            statement.bind("content", e.content()).bind("summary", e.summary());
        }
        return statement;
    }

    private static String wire(dev.chl.model.WireValue value) {
        return value == null ? null : value.wire();
    }

    private static Entry map(Kind kind, ResultSet rs) throws SQLException {
        boolean experience = kind == Kind.EXPERIENCE;
        return new Entry(
                rs.getString("id"),
                kind,
                rs.getString("category_code"),
                experience ? Section.fromWire("section", rs.getString("section")) : null,
                rs.getString("title"),
                experience ? rs.getString("playbook") : null,
                experience ? rs.getString("context") : null,
                experience ? null : rs.getString("content"),
                experience ? null : rs.getString("summary"),
                Source.fromWire("source", rs.getString("source")),
                SyncStatus.fromWire("sync_status", rs.getString("sync_status")),
                rs.getString("author"),
                EmbeddingStatus.fromWire("embedding_status", rs.getString("embedding_status")),
                Times.parse(rs.getString("created_at")),
                Times.parse(rs.getString("updated_at")),
                Times.parse(rs.getString("synced_at")),
                Times.parse(rs.getString("exported_at")));
    }

    // ---- embedding queue -------------------------------------------------------------------------------------

    /** Pending entries whose retry time has come, oldest change first. */
    public List<QueueItem> pendingForEmbedding(Kind kind, String now, int limit) {
        return handle.createQuery("SELECT id, embedding_attempts, updated_at FROM " + table(kind)
                        + " WHERE embedding_status = 'pending' AND (embedding_retry_at IS NULL OR embedding_retry_at <= :now)"
                        + " ORDER BY updated_at LIMIT :limit")
                .bind("now", now)
                .bind("limit", limit)
                .map((rs, ctx) -> new QueueItem(kind, rs.getString("id"), rs.getInt("embedding_attempts"), rs.getString("updated_at")))
                .list();
    }

    /**
     * Which of {@code ids} are pending and due now (what a drain claims: its own entries, whatever else waits). Callers
     * pass a batch's worth of ids; the bound list stays far below SQLite's variable limit.
     */
    public List<QueueItem> pendingAmong(Kind kind, List<String> ids, String now) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("SELECT id, embedding_attempts, updated_at FROM " + table(kind) + " WHERE id IN (<ids>)"
                        + " AND embedding_status = 'pending' AND (embedding_retry_at IS NULL OR embedding_retry_at <= :now)")
                .bindList("ids", ids)
                .bind("now", now)
                .map((rs, ctx) -> new QueueItem(kind, rs.getString("id"), rs.getInt("embedding_attempts"), rs.getString("updated_at")))
                .list();
    }

    /** Pending ids that have never failed (a drain finishes exactly these; failed retries do not hold it open). */
    public List<String> drainableIds(Kind kind) {
        return handle.createQuery("SELECT id FROM " + table(kind)
                + " WHERE embedding_status = 'pending' AND embedding_retry_at IS NULL").mapTo(String.class).list();
    }

    /**
     * Marks an entry embedded only if it is still pending and unchanged since {@code updatedAt} was read;
     * false means it changed meanwhile and its vector is stale.
     */
    public boolean markEmbedded(Kind kind, String id, String updatedAt) {
        return handle.createUpdate("UPDATE " + table(kind) + " SET embedding_status = 'embedded', embedding_attempts = 0,"
                        + " embedding_error = NULL, embedding_retry_at = NULL"
                        + " WHERE id = :id AND updated_at = :updated_at AND embedding_status = 'pending'")
                .bind("id", id)
                .bind("updated_at", updatedAt)
                .execute() == 1;
    }

    /** Records a failed attempt: pending again at {@code retryAt}, or failed for good when {@code retryAt} is null. */
    public void markAttemptFailed(Kind kind, String id, String error, String retryAt) {
        handle.createUpdate("UPDATE " + table(kind) + " SET embedding_attempts = embedding_attempts + 1, embedding_error = :error,"
                        + " embedding_retry_at = :retry_at, embedding_status = :status WHERE id = :id AND embedding_status = 'pending'")
                .bind("id", id)
                .bind("error", error.length() > 1000 ? error.substring(0, 1000) : error)
                .bind("retry_at", retryAt)
                .bind("status", retryAt == null ? "failed" : "pending")
                .execute();
    }

    /** Puts failed entries back in the queue with a fresh retry budget; returns how many. */
    public int retryFailed(Kind kind) {
        return handle.createUpdate("UPDATE " + table(kind) + " SET embedding_status = 'pending', embedding_attempts = 0,"
                + " embedding_retry_at = NULL WHERE embedding_status = 'failed'").execute();
    }

    /** Queues every entry for embedding again (after a model change); returns how many. */
    public int requeueAll(Kind kind) {
        return handle.createUpdate("UPDATE " + table(kind) + " SET embedding_status = 'pending', embedding_attempts = 0,"
                + " embedding_retry_at = NULL, embedding_error = NULL").execute();
    }

    public Map<String, Long> embeddingCounts(Kind kind) {
        Map<String, Long> counts = new java.util.HashMap<>();
        handle.createQuery("SELECT embedding_status, count(*) AS n FROM " + table(kind) + " GROUP BY embedding_status")
                .map((rs, ctx) -> Map.entry(rs.getString("embedding_status"), rs.getLong("n")))
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    public List<EmbeddingFailure> recentFailures(Kind kind, int limit) {
        return handle.createQuery("SELECT id, title, embedding_attempts, embedding_error, updated_at FROM " + table(kind)
                        + " WHERE embedding_error IS NOT NULL AND embedding_status <> 'embedded' ORDER BY updated_at DESC LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> new EmbeddingFailure(rs.getString("id"), kind.wire(), rs.getString("title"),
                        rs.getInt("embedding_attempts"), rs.getString("embedding_error"), rs.getString("updated_at")))
                .list();
    }

    /** The newest updated_at of the kind, or null when the table is empty. */
    public String maxUpdatedAt(Kind kind) {
        return handle.createQuery("SELECT max(updated_at) FROM " + table(kind)).mapTo(String.class).one();
    }

    /** A page of every entry of a kind in id order, for rebuilding the index. */
    public List<Entry> scan(Kind kind, String afterId, int limit) {
        return handle.createQuery("SELECT " + columns(kind) + " FROM " + table(kind)
                        + (afterId == null ? "" : " WHERE id > :after") + " ORDER BY id LIMIT :limit")
                .bind("after", afterId)
                .bind("limit", limit)
                .map((rs, ctx) -> map(kind, rs))
                .list();
    }

    public List<Entry> findAll(Kind kind, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("SELECT " + columns(kind) + " FROM " + table(kind) + " WHERE id IN (<ids>)")
                .bindList("ids", ids)
                .map((rs, ctx) -> map(kind, rs))
                .list();
    }

    /**
     * Queues embedded entries that have no stored vector from {@code modelId} (e.g. after a model change), or no piece
     * vectors yet (embedded before pieces existed).
     */
    public int requeueWithoutVector(Kind kind, String modelId) {
        return handle.createUpdate("UPDATE " + table(kind) + " SET embedding_status = 'pending', embedding_attempts = 0,"
                        + " embedding_retry_at = NULL WHERE embedding_status = 'embedded' AND id NOT IN"
                        + " (SELECT entry_id FROM entry_vectors WHERE model_id = :model AND pieces IS NOT NULL)")
                .bind("model", modelId)
                .execute();
    }

    // ---- exchange ------------------------------------------------------------------------------------------

    /** Stamps exported_at on the given entries (export never changes sync_status). */
    public void stampExported(Kind kind, List<String> ids, String exportedAt) {
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            handle.createUpdate("UPDATE " + table(kind) + " SET exported_at = :at WHERE id IN (<ids>)")
                    .bind("at", exportedAt)
                    .bindList("ids", chunk)
                    .execute();
        }
    }
}
