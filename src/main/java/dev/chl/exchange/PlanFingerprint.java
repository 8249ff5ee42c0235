package dev.chl.exchange;

import dev.chl.model.Category;
import dev.chl.model.Entry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A hash of what applying a plan would change — the categories, the id and content of every add and update, the ids
 * of the retires — so an apply can insist on exactly the plan its dry run showed. The times planning stamps on entries
 * are left out (planning again makes new ones); so is the order of rows.
 */
final class PlanFingerprint {
    private PlanFingerprint() {}

    static String of(ImportPlan plan) {
        List<String> lines = new ArrayList<>();
        for (Category c : plan.categories()) {
            lines.add(line("category", c.code(), c.name(), c.description()));
        }
        for (Entry e : plan.adds()) {
            lines.add(line("add", e.id(), content(e)));
        }
        for (Entry e : plan.updates()) {
            lines.add(line("update", e.id(), content(e)));
        }
        for (Entry e : plan.retires()) {
            lines.add(line("retire", e.id()));
        }
        lines.sort(null);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            lines.forEach(l -> sha.update(l.getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String content(Entry e) {
        return line(e.kind().wire(), e.categoryCode(), e.section() == null ? null : e.section().wire(), e.title(), e.playbook(),
                e.context(), e.content(), e.summary(), e.author());
    }

    /** Length-prefixed fields, so no text can be made to read as another split of the same characters. */
    private static String line(String... fields) {
        StringBuilder out = new StringBuilder();
        for (String f : fields) {
            out.append(f == null ? -1 : f.length()).append(':').append(f == null ? "" : f);
        }
        return out.append('\n').toString();
    }
}
