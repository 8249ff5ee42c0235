package dev.chl.store;

import dev.chl.common.Times;
import dev.chl.model.Category;
import dev.chl.model.CategorySummary;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** All SQL for the {@code categories} table. */
public final class CategoryTable {
    private static final String COLUMNS = "code, name, description, created_at";

    private final Handle handle;

    CategoryTable(Handle handle) {
        this.handle = handle;
    }

    public void insert(Category category) {
        handle.createUpdate("INSERT INTO categories (" + COLUMNS + ") VALUES (:code, :name, :description, :created_at)")
                .bind("code", category.code())
                .bind("name", category.name())
                .bind("description", category.description())
                .bind("created_at", Times.format(category.createdAt()))
                .execute();
    }

    public Optional<Category> find(String code) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM categories WHERE code = :code")
                .bind("code", code)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public boolean exists(String code) {
        return find(code).isPresent();
    }

    public void update(Category category) {
        handle.createUpdate("UPDATE categories SET name = :name, description = :description WHERE code = :code")
                .bind("code", category.code())
                .bind("name", category.name())
                .bind("description", category.description())
                .execute();
    }

    public boolean delete(String code) {
        return handle.createUpdate("DELETE FROM categories WHERE code = :code").bind("code", code).execute() == 1;
    }

    public List<String> codes() {
        return handle.createQuery("SELECT code FROM categories ORDER BY code").mapTo(String.class).list();
    }

    public List<CategorySummary> listWithCounts() {
        return handle.createQuery("""
                        SELECT c.code, c.name, c.description, c.created_at,
                               (SELECT count(*) FROM experiences e WHERE e.category_code = c.code) AS experience_count,
                               (SELECT count(*) FROM manuals m WHERE m.category_code = c.code) AS manual_count
                        FROM categories c ORDER BY c.code""")
                .map((rs, ctx) -> new CategorySummary(map(rs), rs.getLong("experience_count"), rs.getLong("manual_count")))
                .list();
    }

    public Optional<CategorySummary> findWithCounts(String code) {
        return listWithCounts().stream().filter(s -> s.category().code().equals(code)).findFirst();
    }

    private static Category map(ResultSet rs) throws SQLException {
        return new Category(rs.getString("code"), rs.getString("name"), rs.getString("description"),
                Times.parse(rs.getString("created_at")));
    }
}
