package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The dry-run preview says how many invalid rows there are, and when its list shows only some of them. */
class ImportPlanTest {
    private static ImportPlan withProblems(int count) {
        List<RowProblem> problems = new ArrayList<>(IntStream.rangeClosed(1, count)
                .mapToObj(i -> new RowProblem(Columns.EXPERIENCES, i + 1, "title", "is required")).toList());
        return new ImportPlan(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), problems, List.of(), count);
    }

    @Test
    void aCutListOfInvalidRowsSaysSoWithTheTotal() {
        Map<String, Object> preview = withProblems(250).preview(200);
        assertThat((List<?>) preview.get("invalid_rows")).hasSize(200);
        assertThat(preview).containsEntry("invalid_rows_total", 250).containsEntry("invalid_rows_shown", 200);
        assertThat((String) preview.get("invalid_rows_note")).contains("first 200").contains("250");
    }

    @Test
    void aWholeListHasNoNote() {
        Map<String, Object> preview = withProblems(3).preview(200);
        assertThat((List<?>) preview.get("invalid_rows")).hasSize(3);
        assertThat(preview).containsEntry("invalid_rows_total", 3).containsEntry("invalid_rows_shown", 3)
                .doesNotContainKey("invalid_rows_note");
    }
}
