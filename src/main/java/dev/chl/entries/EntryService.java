package dev.chl.entries;

import dev.chl.audit.AuditLog;
import dev.chl.common.ConflictException;
import dev.chl.common.Cursors;
import dev.chl.common.Input;
import dev.chl.common.NotFoundException;
import dev.chl.common.Times;
import dev.chl.common.ValidationException;
import dev.chl.model.Actor;
import dev.chl.model.DuplicateReport;
import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Page;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import dev.chl.store.Database;
import dev.chl.store.DuplicateKeyException;
import dev.chl.store.EntryQuery;
import dev.chl.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The entries facade: list, read, create, update and delete experiences and manuals, applying validation,
 * id and provenance rules, and writing each change with its audit row in one transaction.
 */
public final class EntryService {
    public static final int DEFAULT_PAGE = 50;
    public static final int MAX_PAGE = 500;
    private static final int ID_ATTEMPTS = 5;
    private static final Set<String> LIST_PARAMS = Set.of("category", "source", "sync_status", "embedding_status", "limit", "cursor");

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;
    private final DuplicateCheck duplicates;
    private final Consumer<EntryChange> listener;
    private final EntryIds ids = new EntryIds();

    /**
     * @param listener told after each committed change (e.g. so the index drops a deleted entry); runs outside
     *                 the transaction and must not throw
     */
    public EntryService(Database database, AuditLog audit, Clock clock, DuplicateCheck duplicates, Consumer<EntryChange> listener) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
        this.duplicates = duplicates;
        this.listener = listener;
    }

    /** The fields a create or update of {@code kind} may carry (forms offer exactly these). */
    public static java.util.Set<String> writableFields(Kind kind) {
        return EntryFields.writable(kind);
    }

    /** A filtered page, newest first; {@code params} are the list's query parameters as text. */
    public Page<Entry> list(Kind kind, Map<String, String> params) {
        Input in = new Input(params).allowOnly(LIST_PARAMS);
        String category = dev.chl.model.Category.filter(in, "category");
        Source source = in.parsed("source", v -> Source.fromWire("source", v));
        SyncStatus sync = in.parsed("sync_status", v -> SyncStatus.fromWire("sync_status", v));
        EmbeddingStatus embedding = in.parsed("embedding_status", v -> EmbeddingStatus.fromWire("embedding_status", v));
        Integer limit = in.parsed("limit", v -> parseLimit(v));
        String cursor = in.string("cursor");
        in.check();
        List<String> after = cursor == null ? null : pageAfter(kind, cursor);
        int size = limit == null ? DEFAULT_PAGE : limit;
        List<Entry> rows = database.read(tx -> tx.entries().list(new EntryQuery(kind, category, source, sync, embedding,
                after == null ? null : after.get(0), after == null ? null : after.get(1), size + 1)));
        boolean more = rows.size() > size;
        List<Entry> items = more ? rows.subList(0, size) : rows;
        String next = more ? Cursors.encode(dev.chl.common.Times.format(items.getLast().createdAt()), items.getLast().id()) : null;
        return new Page<>(List.copyOf(items), next);
    }

    /** The created_at and id of the last entry of the previous page, as {@link #list} wrote them into its cursor. */
    private static List<String> pageAfter(Kind kind, String cursor) {
        List<String> after = Cursors.decode(cursor, 2);
        try {
            Times.parse(after.get(0));
        } catch (RuntimeException e) {
            throw Cursors.notOurs();
        }
        if (Kind.ofId(after.get(1)) != kind) {
            throw Cursors.notOurs();
        }
        return after;
    }

    /**
     * The problems the entry rules find in {@code fields} as they would be created (used by the import to check
     * every row with the same rules as the API); empty when the fields are valid. Category existence is not checked.
     */
    public List<dev.chl.common.FieldError> problems(Kind kind, Map<String, ?> fields) {
        try {
            EntryFields.read(kind, new Input(fields), true);
            return List.of();
        } catch (ValidationException e) {
            return e.errors();
        }
    }

    public Entry get(Kind kind, String id) {
        return database.read(tx -> tx.entries().find(kind, id)).orElseThrow(() -> notFound(kind, id));
    }

    /** Finds an entry by id alone, whatever its kind. */
    public Entry get(String id) {
        Kind kind = Kind.ofId(id);
        if (kind == null) {
            throw new NotFoundException("'" + id + "' is not an entry id; ids look like EXP-ABC-20260101-120000000 or MNL-ABC-…");
        }
        return get(kind, id);
    }

    /** Creates an entry whatever the duplicate check finds; the answer carries the check (the API and MCP way). */
    public CreatedEntry create(Actor actor, Kind kind, Map<String, ?> body) {
        return create(actor, kind, body, false);
    }

    /**
     * Creates an entry unless the duplicate check finds a close one (by the search thresholds): then nothing is written
     * and the answer carries the report, so a person can look first and confirm with {@link #create(Actor, Kind, Map)}.
     */
    public CreatedEntry createUnlessClose(Actor actor, Kind kind, Map<String, ?> body) {
        return create(actor, kind, body, true);
    }

    private CreatedEntry create(Actor actor, Kind kind, Map<String, ?> body, boolean holdIfClose) {
        EntryFields.Values v = EntryFields.read(kind, new Input(body), true);
        SyncStatus sync = Provenance.forNewEntry(v.syncStatus());
        requireCategory(v.categoryCode());
        DuplicateReport report = duplicates.check(kind, v.categoryCode(), v.title(), kind == Kind.EXPERIENCE ? v.playbook() : v.content());
        if (holdIfClose && duplicates.needsConfirmation(report)) {
            return new CreatedEntry(null, report);
        }
        Instant now = clock.instant();
        for (int attempt = 1; ; attempt++) {
            String id = attempt == 1 ? ids.next(kind, v.categoryCode(), now) : ids.withRandomSuffix(kind, v.categoryCode(), now);
            Entry entry = new Entry(id, kind, v.categoryCode(), v.section(), v.title(), v.playbook(), v.context(), v.content(),
                    v.summary(), Source.LOCAL, sync, v.author() == null ? actor.name() : v.author(), EmbeddingStatus.PENDING,
                    now, now, null, null);
            try {
                database.write(tx -> {
                    requireCategory(tx, entry.categoryCode());
                    tx.entries().insert(entry);
                    audit.record(tx, actor, "entry.create", Map.of("kind", kind.wire(), "id", id, "title", entry.title()));
                    return null;
                });
                listener.accept(new EntryChange(EntryChange.Type.CREATED, entry));
                return new CreatedEntry(entry, report);
            } catch (DuplicateKeyException e) {
                if (attempt == ID_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Applies a partial update; fields absent from {@code body} keep their value. */
    public Entry update(Actor actor, Kind kind, String id, Map<String, ?> body) {
        return update(actor, kind, id, body, null);
    }

    /**
     * Applies a partial update only if the entry is still as it was read: {@code readAt} is the {@code updated_at}
     * the editor saw (null: no check), compared to the millisecond the API shows. Two people editing one entry then
     * cannot silently overwrite each other, whichever door (API, console, MCP) each came through.
     */
    public Entry update(Actor actor, Kind kind, String id, Map<String, ?> body, Instant readAt) {
        EntryFields.Values v = EntryFields.read(kind, new Input(body), false);
        Entry updated = database.write(tx -> {
            Entry current = tx.entries().find(kind, id).orElseThrow(() -> notFound(kind, id));
            requireVersion(current, readAt, "you edited", "nothing was saved. Reload it, make your change again and save");
            if (v.categoryCode() != null) {
                requireCategory(tx, v.categoryCode());
            }
            Entry next = merge(current, v, body.keySet());
            List<String> changed = changedFields(current, next);
            if (changed.isEmpty()) {
                return current;
            }
            boolean textChanged = changed.stream().anyMatch(f -> Set.of("category_code", "section", "title", "playbook",
                    "context", "content", "summary").contains(f));
            SyncStatus sync = Provenance.afterEdit(current.source(), current.syncStatus(), v.syncStatus());
            Entry result = withStatus(next, sync, textChanged ? EmbeddingStatus.PENDING : current.embeddingStatus(),
                    Times.nextVersion(current.updatedAt(), clock.instant()));
            tx.entries().update(result);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("kind", kind.wire());
            details.put("id", id);
            details.put("changed", changed);
            if (result.syncStatus() != current.syncStatus()) {
                details.put("sync_status", current.syncStatus().wire() + " -> " + result.syncStatus().wire());
            }
            audit.record(tx, actor, "entry.update", details);
            return result;
        });
        listener.accept(new EntryChange(EntryChange.Type.UPDATED, updated));
        return updated;
    }

    /** Deletes an entry; the assistant guides are refused (409), whichever door asks. */
    public void delete(Actor actor, Kind kind, String id) {
        delete(actor, kind, id, null);
    }

    /**
     * Deletes an entry only if it is still the version that was read ({@code readAt}, null: no check), as for
     * {@link #update(Actor, Kind, String, Map, Instant)}: a deletion decided on a version someone has since edited
     * would throw their edit away unseen.
     */
    public void delete(Actor actor, Kind kind, String id, Instant readAt) {
        Entry deleted = database.write(tx -> {
            Entry current = tx.entries().find(kind, id).orElseThrow(() -> notFound(kind, id));
            requireVersion(current, readAt, "you saw", "nothing was deleted. Reload it and decide again");
            if (LibrarySeed.isGuide(id)) {
                throw new ConflictException("'" + id + "' is an assistant guide (get_guidelines, the before-task and after-task "
                        + "prompts and chl://guides/* serve it): it can be edited but not deleted");
            }
            tx.entries().delete(kind, id);
            tx.vectors().delete(id);
            audit.record(tx, actor, "entry.delete", Map.of("kind", kind.wire(), "id", id, "title", current.title()));
            return current;
        });
        listener.accept(new EntryChange(EntryChange.Type.DELETED, deleted));
    }

    /** 409 when {@code readAt} (the version the client saw; null: any) is not the entry's current version. */
    private static void requireVersion(Entry current, Instant readAt, String whose, String outcome) {
        String currentAt = Times.format(current.updatedAt());
        if (readAt != null && !Times.format(readAt).equals(currentAt)) {
            String why = readAt.isAfter(current.updatedAt())
                    ? " is at version " + currentAt + "; " + Times.format(readAt) + " is not a version of it"
                    : " was changed at " + currentAt + ", after the version " + whose + " (" + Times.format(readAt) + ")";
            throw new ConflictException(current.id() + why + "; " + outcome, Map.of("updated_at", currentAt));
        }
    }

    private static Entry merge(Entry e, EntryFields.Values v, Set<String> present) {
        return new Entry(e.id(), e.kind(),
                v.categoryCode() != null ? v.categoryCode() : e.categoryCode(),
                v.section() != null ? v.section() : e.section(),
                v.title() != null ? v.title() : e.title(),
                v.playbook() != null ? v.playbook() : e.playbook(),
                present.contains("context") ? v.context() : e.context(),
                v.content() != null ? v.content() : e.content(),
                present.contains("summary") ? v.summary() : e.summary(),
                e.source(),
                v.syncStatus() != null ? v.syncStatus() : e.syncStatus(),
                present.contains("author") ? v.author() : e.author(),
                e.embeddingStatus(), e.createdAt(), e.updatedAt(), e.syncedAt(), e.exportedAt());
    }

    private static Entry withStatus(Entry e, SyncStatus sync, EmbeddingStatus embedding, Instant now) {
        return new Entry(e.id(), e.kind(), e.categoryCode(), e.section(), e.title(), e.playbook(), e.context(), e.content(),
                e.summary(), e.source(), sync, e.author(), embedding, e.createdAt(), now, e.syncedAt(), e.exportedAt());
    }

    private static List<String> changedFields(Entry a, Entry b) {
        List<String> changed = new ArrayList<>();
        if (!Objects.equals(a.categoryCode(), b.categoryCode())) changed.add("category_code");
        if (!Objects.equals(a.section(), b.section())) changed.add("section");
        if (!Objects.equals(a.title(), b.title())) changed.add("title");
        if (!Objects.equals(a.playbook(), b.playbook())) changed.add("playbook");
        if (!Objects.equals(a.context(), b.context())) changed.add("context");
        if (!Objects.equals(a.content(), b.content())) changed.add("content");
        if (!Objects.equals(a.summary(), b.summary())) changed.add("summary");
        if (!Objects.equals(a.author(), b.author())) changed.add("author");
        if (!Objects.equals(a.syncStatus(), b.syncStatus())) changed.add("sync_status");
        return changed;
    }

    private void requireCategory(String code) {
        database.read(tx -> {
            requireCategory(tx, code);
            return null;
        });
    }

    private static void requireCategory(Tx tx, String code) {
        if (!tx.categories().exists(code)) {
            throw new ValidationException("category_code", "unknown category '" + code + "'; existing categories are "
                    + String.join(", ", tx.categories().codes()) + " (or create it first)");
        }
    }

    private static Integer parseLimit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_PAGE) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ValidationException("limit", "must be a whole number between 1 and " + MAX_PAGE);
    }

    private static NotFoundException notFound(Kind kind, String id) {
        return new NotFoundException("no " + kind.wire() + " with id '" + id + "'");
    }
}
