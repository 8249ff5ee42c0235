package dev.chl.store;

import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Kind;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;

/**
 * A filtered, keyset-paginated listing: newest first, ordered by (created_at, id).
 * {@code afterCreatedAt}/{@code afterId} are the sort key of the last row already seen, or null for the first page.
 */
public record EntryQuery(
        Kind kind,
        String categoryCode,
        Source source,
        SyncStatus syncStatus,
        EmbeddingStatus embeddingStatus,
        String afterCreatedAt,
        String afterId,
        int limit) {}
