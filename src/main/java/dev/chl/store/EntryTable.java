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
import java.util.List;
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
}
