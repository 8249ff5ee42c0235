package dev.chl.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chl.common.ValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job lifecycle, pair by pair: every (from, to) of the 7 × 7 statuses is allowed exactly where the table of
 * DESIGN §6 / the JobStatus diagram says, and nowhere else.
 */
class JobStatusTest {
    /** The table, written out independently of the production code (by wire name). */
    private static final Map<String, Set<String>> TABLE = Map.of(
            "queued", Set.of("running", "cancelled", "failed"),
            "running", Set.of("cancel_requested", "succeeded", "failed", "timed_out"),
            "cancel_requested", Set.of("cancelled", "succeeded", "failed", "timed_out"),
            "succeeded", Set.of(),
            "failed", Set.of(),
            "cancelled", Set.of(),
            "timed_out", Set.of());

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                pairs.add(Arguments.of(from, to, TABLE.get(from.wire()).contains(to.wire())));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
    @MethodSource("everyPair")
    void eachTransitionIsAllowedExactlyWhereTheTableSaysSo(JobStatus from, JobStatus to, boolean allowed) {
        assertThat(from.canBecome(to)).as("%s -> %s", from.wire(), to.wire()).isEqualTo(allowed);
    }

    @Test
    void theTableCoversEveryStatusAndThereAreFortyNinePairs() {
        assertThat(TABLE.keySet()).containsExactlyInAnyOrderElementsOf(Arrays.stream(JobStatus.values()).map(JobStatus::wire).toList());
        assertThat(everyPair()).hasSize(49);
        long allowed = everyPair().filter(a -> (boolean) a.get()[2]).count();
        assertThat(allowed).isEqualTo(11);
    }

    @Test
    void noStatusCanBecomeItself() {
        for (JobStatus s : JobStatus.values()) {
            assertThat(s.canBecome(s)).as(s.wire()).isFalse();
        }
    }

    @Test
    void finishedExactlyForTheFourEndStates() {
        for (JobStatus s : JobStatus.values()) {
            assertThat(s.finished()).as(s.wire())
                    .isEqualTo(Set.of("succeeded", "failed", "cancelled", "timed_out").contains(s.wire()));
        }
    }

    @Test
    void wireNamesRoundTripAndUnknownOnesAreAValidationError() {
        for (JobStatus s : JobStatus.values()) {
            assertThat(JobStatus.fromWire("status", s.wire())).isSameAs(s);
        }
        assertThatThrownBy(() -> JobStatus.fromWire("status", "done")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("queued");
        assertThatThrownBy(() -> JobStatus.fromWire("status", "RUNNING")).isInstanceOf(ValidationException.class);
    }
}
