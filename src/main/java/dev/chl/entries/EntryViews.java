package dev.chl.entries;

import dev.chl.common.Times;
import dev.chl.model.CategorySummary;
import dev.chl.model.DuplicateMatch;
import dev.chl.model.DuplicateReport;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of entries and categories in API.md, shared by every adapter that renders them. */
public final class EntryViews {
    private EntryViews() {}

    public static Map<String, Object> entry(Entry e) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", e.id());
        map.put("kind", e.kind().wire());
        map.put("category_code", e.categoryCode());
        map.put("title", e.title());
        if (e.kind() == Kind.EXPERIENCE) {
            map.put("section", e.section().wire());
            map.put("playbook", e.playbook());
            map.put("context", e.context());
        } else {
            map.put("content", e.content());
            map.put("summary", e.summary());
        }
        map.put("source", e.source().wire());
        map.put("sync_status", e.syncStatus().wire());
        map.put("author", e.author());
        map.put("embedding_status", e.embeddingStatus().wire());
        map.put("created_at", Times.format(e.createdAt()));
        map.put("updated_at", Times.format(e.updatedAt()));
        map.put("synced_at", Times.format(e.syncedAt()));
        map.put("exported_at", Times.format(e.exportedAt()));
        return map;
    }

    /** A create's answer: the entry and its duplicate check. */
    public static Map<String, Object> created(CreatedEntry created) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entry", entry(created.entry()));
        body.putAll(duplicates(created.duplicates()));
        return body;
    }

    /** {@code {"duplicates": [...], "guidance": "..."}} — or with {@code matches} as the list's name for the check endpoint. */
    public static Map<String, Object> duplicates(DuplicateReport report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("duplicates", matches(report.matches()));
        body.put("guidance", report.guidance());
        return body;
    }

    public static List<Map<String, Object>> matches(List<DuplicateMatch> matches) {
        return matches.stream().map(m -> {
            Map<String, Object> match = new LinkedHashMap<>();
            match.put("id", m.id());
            match.put("kind", m.kind().wire());
            match.put("title", m.title());
            match.put("score", Math.round(m.score() * 1000) / 1000.0);
            return match;
        }).toList();
    }

    public static Map<String, Object> category(CategorySummary s) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("code", s.category().code());
        map.put("name", s.category().name());
        map.put("description", s.category().description());
        map.put("experience_count", s.experienceCount());
        map.put("manual_count", s.manualCount());
        map.put("created_at", Times.format(s.category().createdAt()));
        return map;
    }
}
