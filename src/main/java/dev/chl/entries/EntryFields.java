package dev.chl.entries;

import dev.chl.common.Input;
import dev.chl.model.Kind;
import dev.chl.model.Section;
import dev.chl.model.SyncStatus;
import java.util.Set;

/** The writable fields of each kind, their limits, and how they are read from input. */
final class EntryFields {
    static final int TITLE_MAX = 120;
    static final int PLAYBOOK_MAX = 2000;
    static final int CONTEXT_MAX = 4000;
    static final int CONTENT_MAX = 100_000;
    static final int SUMMARY_MAX = 1000;
    static final int AUTHOR_MAX = 120;

    private static final Set<String> EXPERIENCE =
            Set.of("category_code", "section", "title", "playbook", "context", "author", "sync_status");
    private static final Set<String> MANUAL =
            Set.of("category_code", "title", "content", "summary", "author", "sync_status");

    private EntryFields() {}

    static Set<String> writable(Kind kind) {
        return kind == Kind.EXPERIENCE ? EXPERIENCE : MANUAL;
    }

    /** The values a create or update may carry; a null member was absent (or, for optional text, cleared). */
    record Values(String categoryCode, Section section, String title, String playbook, String context,
                  String content, String summary, String author, SyncStatus syncStatus) {}

    /**
     * Reads and checks the fields of {@code in}. With {@code creating}, required fields must be there;
     * otherwise every field is optional (a partial update).
     */
    static Values read(Kind kind, Input in, boolean creating) {
        in.allowOnly(writable(kind));
        String categoryCode = creating || in.has("category_code") ? in.requiredText("category_code", 3) : null;
        String title = creating || in.has("title") ? in.requiredText("title", TITLE_MAX) : null;
        in.requireOneLine("title", title, "put details in the " + (kind == Kind.EXPERIENCE ? "playbook" : "content"));
        Section section = null;
        String playbook = null;
        String context = null;
        String content = null;
        String summary = null;
        if (kind == Kind.EXPERIENCE) {
            if (creating || in.has("section")) {
                if (!in.present("section")) {
                    in.error("section", "is required; use one of useful, harmful, contextual");
                } else {
                    section = in.parsed("section", v -> Section.fromWire("section", v));
                }
            }
            playbook = creating || in.has("playbook") ? in.requiredText("playbook", PLAYBOOK_MAX) : null;
            context = in.optionalText("context", CONTEXT_MAX, false);
        } else {
            content = creating || in.has("content") ? in.requiredText("content", CONTENT_MAX) : null;
            summary = in.optionalText("summary", SUMMARY_MAX, false);
        }
        String author = in.optionalText("author", AUTHOR_MAX, false);
        SyncStatus sync = in.parsed("sync_status", v -> SyncStatus.fromWire("sync_status", v));
        in.check();
        return new Values(categoryCode, section, title, playbook, context, content, summary, author, sync);
    }
}
