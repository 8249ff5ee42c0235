package dev.chl.mcp;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the MCP tools need from CHL, in the JSON shapes of API.md. Served in-process by the feature facades
 * ({@link LocalLibrary}) or by a running server's HTTP API ({@link RemoteLibrary}) — either way the same services do
 * the work. Failures are the features' own exceptions (validation, not found, conflict).
 */
interface Library {
    /** {@code [{code, name, description, experience_count, manual_count, created_at}]} */
    List<Map<String, Object>> categories();

    /** A page of one shelf, newest first: {@code {items, next_cursor}}. */
    Map<String, Object> listByCategory(String kind, String categoryCode, int limit);

    /** {@code {mode, results:[{id, kind, category_code, title, snippet, score, matched_by}]}} */
    Map<String, Object> search(String query, String kind, String categoryCode, int limit);

    /** The full entry, whatever its kind. */
    Map<String, Object> entry(String id);

    /** {@code {entry, duplicates, guidance}} */
    Map<String, Object> create(String actor, String kind, Map<String, Object> data);

    /**
     * The updated entry. {@code readAt} is the {@code updated_at} the caller read (null: no check); the update is then
     * refused with a conflict when the entry changed since, so an assistant never overwrites an edit it did not see.
     */
    Map<String, Object> update(String actor, String kind, String id, Map<String, Object> updates, Instant readAt);

    /** {@code {matches, guidance}} */
    Map<String, Object> duplicates(Map<String, Object> body);

    /** Where the library is served from, for the handshake instructions. */
    String description();
}
