package dev.chl.model;

import java.time.Instant;

/**
 * One library entry of either kind. Experience-only fields ({@code section}, {@code playbook}, {@code context}) are
 * null for manuals and manual-only fields ({@code content}, {@code summary}) are null for experiences.
 */
public record Entry(
        String id,
        Kind kind,
        String categoryCode,
        Section section,
        String title,
        String playbook,
        String context,
        String content,
        String summary,
        Source source,
        SyncStatus syncStatus,
        String author,
        EmbeddingStatus embeddingStatus,
        Instant createdAt,
        Instant updatedAt,
        Instant syncedAt,
        Instant exportedAt) {

    /** The main text: the playbook of an experience, the content of a manual. */
    public String body() {
        return kind == Kind.EXPERIENCE ? playbook : content;
    }

    /** The text an entry's embedding is made from: the title (it names the move), then the body. */
    public String embeddingText() {
        return embeddingText(title, body());
    }

    public static String embeddingText(String title, String body) {
        return title + "\n" + (body == null ? "" : body);
    }
}
