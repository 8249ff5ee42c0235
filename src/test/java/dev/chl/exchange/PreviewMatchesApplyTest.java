package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.ServerExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The dry run is an exact preview: the apply then adds, updates, retires and keeps the very same ids. */
class PreviewMatchesApplyTest {
    @RegisterExtension
    final ServerExtension server = ServerExtension.perTest();
    private ExchangeClient x;

    @BeforeEach
    void client() {
        x = new ExchangeClient(server.server());
    }

    private record Expected(Set<String> add, Set<String> update, Set<String> retire, Set<String> keep, Set<String> unchanged) {}

    /** A library with entries in every situation, and a published workbook that touches each of them. */
    private Expected arrange(TestBook[] out) {
        String code = Fixtures.newCategory(x.http);
        String newCode = Fixtures.uniqueCode();
        Set<String> add = new HashSet<>();
        Set<String> update = new HashSet<>();
        Set<String> retire = new HashSet<>();
        Set<String> keep = new HashSet<>();
        Set<String> unchanged = new HashSet<>();

        for (int i = 1; i <= 6; i++) {
            x.db.insertGlobalExperience(TestBook.experienceId(code, i), code, "Global " + i, "pending", "2025-01-01T00:00:00.000Z");
        }
        List<String> drafts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            drafts.add(Fixtures.createExperience(x.http, code, "Draft " + i).path("id").asString());
        }
        String draftManual = Fixtures.createManual(x.http, code, "Draft manual").path("id").asString();
        Map<String, Object> personal = Fixtures.experience(code, "Personal");
        personal.put("sync_status", "local_only");
        String personalId = Fixtures.create(x.http, "experiences", personal).path("id").asString();
        x.awaitAllEmbedded();

        TestBook book = TestBook.fromXlsx(x.export("xlsx"));
        // retire: two global synced entries the sheet drops
        for (int i = 1; i <= 2; i++) {
            book.experiences().remove(TestBook.experienceId(code, i));
            retire.add(TestBook.experienceId(code, i));
        }
        // update: content edits to global entries, and a draft the curator edited before publishing
        book.experiences().entry(TestBook.experienceId(code, 3)).put("playbook", "A rewritten playbook.");
        book.experiences().entry(TestBook.experienceId(code, 4)).put("section", "harmful");
        book.experiences().entry(drafts.get(0)).put("title", "Draft 0, as published");
        update.addAll(List.of(TestBook.experienceId(code, 3), TestBook.experienceId(code, 4), drafts.get(0)));
        // unchanged: everything else the sheet has as it is (including a draft that gets published as is)
        // keep: drafts the sheet lacks
        book.experiences().remove(drafts.get(1));
        book.experiences().remove(drafts.get(2));
        book.manuals().remove(draftManual);
        keep.addAll(List.of(drafts.get(1), drafts.get(2), draftManual, personalId));
        // add: new rows, one in a category that only the sheet has
        book.categories().add(TestBook.categoryRow(newCode, "A shelf from the sheet"));
        for (int i = 50; i < 53; i++) {
            book.experiences().add(TestBook.experienceRow(TestBook.experienceId(code, i), code, "New " + i));
            add.add(TestBook.experienceId(code, i));
        }
        book.experiences().add(TestBook.experienceRow(TestBook.experienceId(newCode, 1), newCode, "New on a new shelf"));
        book.manuals().add(TestBook.manualRow(TestBook.manualId(newCode, 2), newCode, "New manual on a new shelf"));
        add.addAll(List.of(TestBook.experienceId(newCode, 1), TestBook.manualId(newCode, 2)));
        for (TestBook.Table t : List.of(book.experiences(), book.manuals())) {
            for (String id : t.ids()) {
                if (!add.contains(id) && !update.contains(id)) {
                    unchanged.add(id);
                }
            }
        }
        out[0] = book;
        return new Expected(add, update, retire, keep, unchanged);
    }

    private static Set<String> set(JsonNode array) {
        return new HashSet<>(ExchangeClient.texts(array));
    }

    @ParameterizedTest
    @ValueSource(strings = {"xlsx", "csv"})
    void theApplyDoesExactlyWhatTheDryRunShowed(String format) {
        TestBook[] holder = new TestBook[1];
        Expected expected = arrange(holder);
        String upload = format.equals("xlsx") ? x.uploadXlsx(holder[0]) : x.uploadCsv(holder[0]);
        Map<String, Object> before = x.snapshot();
        long jobRowsBefore = x.db.count("SELECT count(*) FROM audit_log WHERE action LIKE 'job.%'");

        JsonNode preview = x.preview(upload);
        assertThat(preview.path("dry_run").asBoolean()).isTrue();
        assertThat(preview.path("valid").asBoolean()).as("%s", preview).isTrue();
        assertThat(x.snapshot()).as("a dry run changes nothing: rows, vectors, audit rows (other than job.*)").isEqualTo(before);
        assertThat(x.db.count("SELECT count(*) FROM audit_log WHERE action LIKE 'job.%'")).as("only the job's own rows")
                .isEqualTo(jobRowsBefore + 2);
        assertThat(server.server().dataDir().resolve("backups")).as("a dry run takes no backup").doesNotExist();

        // the preview is what the test arranged ...
        assertThat(set(preview.path("add"))).isEqualTo(expected.add());
        assertThat(set(preview.path("update"))).isEqualTo(expected.update());
        assertThat(set(preview.path("retire"))).isEqualTo(expected.retire());
        assertThat(set(preview.path("keep_local"))).isEqualTo(expected.keep());
        JsonNode counts = preview.path("counts");
        assertThat(counts.path("add").asInt()).isEqualTo(expected.add().size());
        assertThat(counts.path("update").asInt()).isEqualTo(expected.update().size());
        assertThat(counts.path("retire").asInt()).isEqualTo(expected.retire().size());
        assertThat(counts.path("keep_local").asInt()).isEqualTo(expected.keep().size());
        assertThat(counts.path("unchanged").asInt()).isEqualTo(expected.unchanged().size());
        assertThat(counts.path("categories").asInt()).isEqualTo(1);

        // ... and the apply reports and does the same
        JsonNode applied = x.apply(upload);
        for (String list : List.of("add", "update", "retire", "keep_local")) {
            assertThat(set(applied.path(list))).as(list).isEqualTo(set(preview.path(list)));
        }
        assertThat(applied.path("counts")).isEqualTo(preview.path("counts"));
        assertThat(applied.path("applied").asBoolean()).isTrue();

        Set<String> experiencesBefore = idsOf(before, "experiences");
        Set<String> manualsBefore = idsOf(before, "manuals");
        Set<String> all = new HashSet<>(x.ids("experiences"));
        all.addAll(x.ids("manuals"));
        Set<String> allBefore = new HashSet<>(experiencesBefore);
        allBefore.addAll(manualsBefore);
        Set<String> expectedAfter = new HashSet<>(allBefore);
        expectedAfter.removeAll(expected.retire());
        expectedAfter.addAll(expected.add());
        assertThat(all).isEqualTo(expectedAfter);
        for (String id : expected.update()) {
            assertThat(x.entry(id)).as(id).containsEntry("source", "global").containsEntry("sync_status", "synced");
        }
        assertThat(x.entry(expected.update().stream().filter(id -> id.endsWith("000000003")).findFirst().orElseThrow()))
                .containsEntry("playbook", "A rewritten playbook.");
        assertThat(x.entry(expected.update().stream().filter(id -> id.endsWith("000000004")).findFirst().orElseThrow()))
                .containsEntry("section", "harmful");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rowsBefore = new ArrayList<>((List<Map<String, Object>>) before.get("experiences"));
        rowsBefore.addAll((List<Map<String, Object>>) before.get("manuals"));
        for (Map<String, Object> row : rowsBefore) {
            if (expected.keep().contains(row.get("id"))) {
                assertThat(x.entry((String) row.get("id"))).as("kept %s", row.get("id")).isEqualTo(row);
            }
        }
        assertThat(x.auditCount("entry.retire")).isEqualTo(expected.retire().size());
        assertThat(x.auditCount("import.apply")).isEqualTo(1);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> idsOf(Map<String, Object> snapshot, String table) {
        Set<String> ids = new HashSet<>();
        ((List<Map<String, Object>>) snapshot.get(table)).forEach(r -> ids.add((String) r.get("id")));
        return ids;
    }
}
