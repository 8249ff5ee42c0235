package dev.chl.exchange;

import dev.chl.model.Category;
import dev.chl.model.Entry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import would do, computed without changing anything: the dry-run preview and the apply's exact to-do list.
 *
 * @param categories categories to add or update
 * @param adds       entries the sheet has and the store does not
 * @param updates    entries whose published content differs from the store's (their new state)
 * @param unchanged  ids whose content already matches (they are marked synced)
 * @param retires    global, synced entries the sheet no longer has (deleted on apply)
 * @param keptLocal  ids of local drafts (pending, local_only) the sheet does not contain
 */
public record ImportPlan(
        List<Category> categories,
        List<Entry> adds,
        List<Entry> updates,
        List<Entry> unchanged,
        List<Entry> retires,
        List<String> keptLocal,
        List<RowProblem> problems,
        List<String> warnings,
        int rows) {

    public boolean valid() {
        return problems.isEmpty();
    }

    /** How many writes applying it makes (categories and entries), for progress. */
    long size() {
        return (long) categories.size() + adds.size() + updates.size() + unchanged.size() + retires.size();
    }

    /** See {@link PlanFingerprint}: an apply given a dry run's {@code plan} applies only that same plan. */
    public String fingerprint() {
        return PlanFingerprint.of(this);
    }

    /**
     * The preview for {@code result_summary}: counts and the first {@code maxIds} ids per action, and the first
     * {@code maxIds} invalid rows, with how many there are in all and, when the list is cut, a note that says so.
     */
    public Map<String, Object> preview(int maxIds) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("rows", rows);
        summary.put("valid", valid());
        summary.put("counts", Map.of("categories", categories.size(), "add", adds.size(), "update", updates.size(),
                "unchanged", unchanged.size(), "retire", retires.size(), "keep_local", keptLocal.size(), "invalid", problems.size()));
        summary.put("add", ids(adds, maxIds));
        summary.put("update", ids(updates, maxIds));
        summary.put("retire", ids(retires, maxIds));
        summary.put("keep_local", keptLocal.subList(0, Math.min(maxIds, keptLocal.size())));
        int shown = Math.min(maxIds, problems.size());
        summary.put("invalid_rows", problems.subList(0, shown).stream().map(p -> Map.of(
                "worksheet", p.worksheet(), "row", p.row(), "column", p.column(), "reason", p.reason())).toList());
        summary.put("invalid_rows_total", problems.size());
        summary.put("invalid_rows_shown", shown);
        if (shown < problems.size()) {
            summary.put("invalid_rows_note", "showing the first " + shown + " of " + problems.size() + " invalid rows; fix "
                    + "these and run the dry run again to see the rest");
        }
        summary.put("warnings", warnings);
        summary.put("plan", fingerprint());
        return summary;
    }

    private static List<String> ids(List<Entry> entries, int max) {
        return entries.stream().limit(max).map(Entry::id).toList();
    }
}
