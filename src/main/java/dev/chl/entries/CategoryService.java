package dev.chl.entries;

import dev.chl.audit.AuditLog;
import dev.chl.common.ConflictException;
import dev.chl.common.Input;
import dev.chl.common.NotFoundException;
import dev.chl.model.Actor;
import dev.chl.model.Category;
import dev.chl.model.CategorySummary;
import dev.chl.store.Database;
import dev.chl.store.DuplicateKeyException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The categories facade: the library's shelves, with entry counts. */
public final class CategoryService {
    static final String GUIDES = "GLN";

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;

    public CategoryService(Database database, AuditLog audit, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
    }

    public List<CategorySummary> list() {
        return database.read(tx -> tx.categories().listWithCounts());
    }

    public CategorySummary get(String code) {
        return database.read(tx -> tx.categories().findWithCounts(code)).orElseThrow(() -> notFound(code));
    }

    public CategorySummary create(Actor actor, Map<String, ?> body) {
        Category category = validated(body, clock.instant());
        String code = category.code();
        String name = category.name();
        try {
            database.write(tx -> {
                tx.categories().insert(category);
                audit.record(tx, actor, "category.create", Map.of("code", code, "name", name));
                return null;
            });
        } catch (DuplicateKeyException e) {
            throw new ConflictException("category '" + code + "' already exists; choose another code or update it with PUT");
        }
        return new CategorySummary(category, 0, 0);
    }

    /** Checks a new category's fields by the category rules; {@code createdAt} is stamped on the result. */
    public static Category validated(Map<String, ?> body, java.time.Instant createdAt) {
        Input in = new Input(body).allowOnly(Set.of("code", "name", "description"));
        String code = in.requiredText("code", 3);
        if (code != null && !Category.isCode(code)) {
            in.error("code", Category.CODE_RULE);
        }
        String name = in.requiredText("name", 80);
        in.requireOneLine("name", name, "put details in the description");
        String description = in.optionalText("description", 1000, false);
        in.check();
        return new Category(code, name, description == null ? "" : description, createdAt);
    }

    /** Renames or re-describes a category; the code itself never changes. */
    public CategorySummary update(Actor actor, String code, Map<String, ?> body) {
        Input in = new Input(body).allowOnly(Set.of("name", "description"));
        String name = in.has("name") ? in.requiredText("name", 80) : null;
        in.requireOneLine("name", name, "put details in the description");
        String description = in.optionalText("description", 1000, false);
        in.check();
        database.write(tx -> {
            Category current = tx.categories().find(code).orElseThrow(() -> notFound(code));
            Category next = new Category(code, name == null ? current.name() : name,
                    in.has("description") ? (description == null ? "" : description) : current.description(), current.createdAt());
            if (!next.equals(current)) {
                tx.categories().update(next);
                audit.record(tx, actor, "category.update", Map.of("code", code, "name", next.name()));
            }
            return null;
        });
        return get(code);
    }

    /** Deletes an empty category; one that still holds entries, or the guides' shelf, is refused. */
    public void delete(Actor actor, String code) {
        database.write(tx -> {
            CategorySummary current = tx.categories().findWithCounts(code).orElseThrow(() -> notFound(code));
            if (GUIDES.equals(code)) {
                throw new ConflictException("GLN holds the assistant guides and cannot be deleted");
            }
            long entries = current.experienceCount() + current.manualCount();
            if (entries > 0) {
                throw new ConflictException("category '" + code + "' still holds " + current.experienceCount() + " experiences and "
                        + current.manualCount() + " manuals; move or delete them first");
            }
            tx.categories().delete(code);
            audit.record(tx, actor, "category.delete", Map.of("code", code, "name", current.category().name()));
            return null;
        });
    }

    private static NotFoundException notFound(String code) {
        return new NotFoundException("no category with code '" + code + "'");
    }
}
