package dev.chl.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.chl.common.FieldError;
import dev.chl.common.ValidationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The read_entries policy on its own: which library call answers which selector, and how much comes back. */
class ReadEntriesTest {
    private final FakeLibrary library = new FakeLibrary();
    private final ReadEntries reader = new ReadEntries(library);

    private static Map<String, Object> args(Object... keyThenValue) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyThenValue.length; i += 2) {
            map.put((String) keyThenValue[i], keyThenValue[i + 1]);
        }
        return map;
    }

    private void shelf(String code, int size) {
        library.category(code, size, 0);
        for (int i = 0; i < size; i++) {
            library.experience("EXP-" + code + "-20260101-0000000" + String.format("%02d", i), code, code + " entry " + i,
                    "Playbook " + i + " " + "words ".repeat(50));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Map<String, Object> answer) {
        return (List<Map<String, Object>>) answer.get("entries");
    }

    private static List<Object> ids(Map<String, Object> answer) {
        return entries(answer).stream().map(e -> e.get("id")).toList();
    }

    private List<Object> newest(int n) {
        return library.entries.stream().limit(n).map(e -> e.get("id")).toList();
    }

    private static List<String> fields(ValidationException e) {
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void aSmallShelfComesWholeAndFullInOneCall() {
        shelf("ABC", 3);
        Map<String, Object> answer = reader.read(args("entity_type", "experience", "category_code", "ABC"));
        assertThat(library.calls).containsExactly("categories", "list experience ABC 3");
        assertThat(ids(answer)).containsExactlyElementsOf(newest(3));
        assertThat(entries(answer).getFirst()).containsKeys("playbook", "section", "category_code");
        assertThat(answer).containsEntry("total", 3L).containsEntry("category_code", "ABC").doesNotContainKey("hint");
    }

    @Test
    void aShelfOfExactlyTheSmallSizeStillComesWhole() {
        shelf("ABC", ReadEntries.SMALL_SHELF);
        Map<String, Object> answer = reader.read(args("entity_type", "experience", "category_code", "ABC"));
        assertThat(ids(answer)).hasSize(ReadEntries.SMALL_SHELF);
        assertThat(entries(answer).getFirst()).containsKey("playbook");
        assertThat(answer).doesNotContainKey("hint");
    }

    @Test
    void aLargeShelfComesAsPreviewsOfTheNewestWithAHint() {
        shelf("ABC", ReadEntries.SMALL_SHELF + 1);
        Map<String, Object> answer = reader.read(args("entity_type", "experience", "category_code", "ABC"));
        assertThat(library.calls).containsExactly("categories", "list experience ABC " + ReadEntries.DEFAULT_LIMIT);
        assertThat(ids(answer)).containsExactlyElementsOf(newest(ReadEntries.DEFAULT_LIMIT));
        Map<String, Object> preview = entries(answer).getFirst();
        assertThat(preview).containsOnlyKeys("id", "title", "section", "snippet");
        assertThat((String) preview.get("snippet")).hasSizeBetween(140, 160).as("cut after a whole word").endsWith(" words…")
                .startsWith("Playbook " + ReadEntries.SMALL_SHELF);
        assertThat((String) answer.get("hint")).contains("newest 10 of 21 as previews", "query", "ids");
    }

    @Test
    void fieldsAndLimitOverrideTheShelfPolicy() {
        shelf("ABC", 30);
        Map<String, Object> full = reader.read(args("entity_type", "experience", "category_code", "ABC", "fields", "full", "limit", 3));
        assertThat(ids(full)).containsExactlyElementsOf(newest(3));
        assertThat(entries(full).getFirst()).containsKey("playbook");
        assertThat((String) full.get("hint")).contains("newest 3 of 30").doesNotContain("previews");

        library.entries.subList(5, library.entries.size()).clear();
        library.categories.clear();
        library.category("ABC", 5, 0);
        Map<String, Object> previews = reader.read(args("entity_type", "experience", "category_code", "ABC", "fields", "preview"));
        assertThat(entries(previews)).allSatisfy(e -> assertThat(e).containsOnlyKeys("id", "title", "section", "snippet"));
        assertThat(ids(previews)).hasSize(5);
    }

    @Test
    void anExplicitLimitCapsASmallShelfToo() {
        shelf("ABC", 8);
        Map<String, Object> answer = reader.read(args("entity_type", "experience", "category_code", "ABC", "limit", 2));
        assertThat(ids(answer)).as("the caller asked for two").containsExactlyElementsOf(newest(2));
        assertThat(entries(answer).getFirst()).as("a small shelf still comes in full").containsKey("playbook");
        assertThat((String) answer.get("hint")).contains("newest 2 of 8");
    }

    @Test
    void anEmptyShelfAnswersEmptyWithoutAHint() {
        library.category("ABC", 0, 0);
        Map<String, Object> answer = reader.read(args("entity_type", "manual", "category_code", "ABC"));
        assertThat(entries(answer)).isEmpty();
        assertThat(answer).containsEntry("total", 0L).doesNotContainKey("hint");
    }

    @Test
    void anUnknownCategoryIsAValidationErrorOnCategoryCode() {
        shelf("ABC", 2);
        ValidationException browse = catchThrowableOfType(ValidationException.class,
                () -> reader.read(args("entity_type", "experience", "category_code", "XYZ")));
        assertThat(fields(browse)).containsExactly("category_code");
        assertThat(browse.errors().getFirst().message()).contains("unknown category 'XYZ'", "list_categories");

        ValidationException search = catchThrowableOfType(ValidationException.class,
                () -> reader.read(args("entity_type", "experience", "category_code", "XYZ", "query", "anything")));
        assertThat(fields(search)).containsExactly("category_code");
        assertThat(library.calls).noneMatch(c -> c.startsWith("search") || c.startsWith("list"));
    }

    @Test
    void aQueryAnswersTheSearchRankingAsPreviewsOrFullEntries() {
        shelf("ABC", 3);
        library.searchAnswer = Map.of("mode", "lexical", "results", List.of(
                Map.of("id", newest(3).get(2), "category_code", "ABC", "title", "t2", "snippet", "s2", "score", 1.0, "matched_by", List.of("lexical")),
                Map.of("id", newest(3).get(0), "category_code", "ABC", "title", "t0", "snippet", "s0", "score", 0.5, "matched_by", List.of("lexical"))));

        Map<String, Object> previews = reader.read(args("entity_type", "experience", "category_code", "ABC", "query", "  words  ", "limit", 7));
        assertThat(library.calls).containsExactly("categories", "search words experience ABC 7");
        assertThat(previews).containsEntry("mode", "lexical");
        assertThat(ids(previews)).containsExactly(newest(3).get(2), newest(3).get(0));
        assertThat(entries(previews).getFirst()).containsOnlyKeys("id", "category_code", "title", "snippet", "score", "matched_by")
                .containsEntry("score", 1.0).containsEntry("snippet", "s2");
        assertThat((String) previews.get("hint")).contains("ids");

        library.calls.clear();
        Map<String, Object> full = reader.read(args("entity_type", "experience", "query", "words", "fields", "full"));
        assertThat(library.calls).containsExactly("search words experience null 10", "entry " + newest(3).get(2), "entry " + newest(3).get(0));
        assertThat(entries(full).getFirst()).containsKeys("playbook", "section").containsEntry("score", 1.0);
        assertThat(full).doesNotContainKey("hint");
    }

    @Test
    void anEmptyQueryFallsBackToTheCategory() {
        shelf("ABC", 2);
        Map<String, Object> answer = reader.read(args("entity_type", "experience", "category_code", "ABC", "query", "   "));
        assertThat(library.calls).noneMatch(c -> c.startsWith("search"));
        assertThat(ids(answer)).containsExactlyElementsOf(newest(2));
    }

    @Test
    void idsWinOverQueryAndCategoryAndMissingOnesAreNamed() {
        shelf("ABC", 2);
        Object first = newest(2).get(0);
        Map<String, Object> answer = reader.read(args("entity_type", "experience", "category_code", "ABC", "query", "q",
                "ids", List.of(" " + first + " ", "EXP-ABC-20990101-000000000")));
        assertThat(library.calls).containsExactly("entry " + first, "entry EXP-ABC-20990101-000000000");
        assertThat(ids(answer)).containsExactly(first);
        assertThat(answer).containsEntry("missing_ids", List.of("EXP-ABC-20990101-000000000"));
    }

    @Test
    void badArgumentsAreAllReportedAtOnceBeforeAnyCall() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> reader.read(args("entity_type", "thing",
                "fields", "some", "limit", 99, "ids", List.of(1, 2), "extra", true)));
        assertThat(fields(e)).containsExactlyInAnyOrder("entity_type", "fields", "limit", "ids", "extra");
        assertThat(library.calls).isEmpty();

        ValidationException none = catchThrowableOfType(ValidationException.class, () -> reader.read(args("entity_type", "experience")));
        assertThat(fields(none)).containsExactly("query");
        assertThat(none.errors().getFirst().message()).contains("category_code", "query", "ids");
    }

    @Test
    void aPreviewOfEmojiIsCutBetweenThem() {
        library.category("EMO", 2, 0);
        library.experience("EXP-EMO-20260101-000000001", "EMO", "rockets", "🚀".repeat(300));
        library.experience("EXP-EMO-20260101-000000002", "EMO", "mixed", "Launch 🚀 and check 👩‍👩‍👧 café, naïve. ".repeat(10));
        Map<String, Object> answer = reader.read(args("entity_type", "experience", "category_code", "EMO", "fields", "preview"));
        Map<String, String> snippets = new LinkedHashMap<>();
        entries(answer).forEach(e -> snippets.put((String) e.get("title"), (String) e.get("snippet")));
        assertThat(snippets.get("rockets")).isEqualTo("🚀".repeat(79) + "…");
        assertThat(snippets.get("mixed")).hasSizeLessThanOrEqualTo(160).endsWith("…").doesNotContain("\ufffd", "?");
        snippets.values().forEach(s -> assertThat(dev.chl.common.Text.unstorable(s)).as(s).isNull());
    }
}
