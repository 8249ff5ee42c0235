package dev.chl.index;

/**
 * What the index holds for one entry: searchable text, filter keys, and (once embedded) its vector.
 *
 * @param body     the playbook or content
 * @param extra    other searchable text: an experience's context, a manual's summary (may be null)
 * @param vector   unit-length embedding, or null while the entry waits for one
 */
public record IndexDocument(
        String id,
        String kind,
        String categoryCode,
        String section,
        String title,
        String body,
        String extra,
        long updatedAtMillis,
        float[] vector) {}
