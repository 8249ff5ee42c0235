package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Section;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentWritesTest {
    private static Entry entry(String id, Kind kind, String category) {
        Instant now = Instant.now();
        return new Entry(id, kind, category, kind == Kind.EXPERIENCE ? Section.USEFUL : null, "t " + id, "p", null, "c", null,
                Source.LOCAL, SyncStatus.PENDING, "a", EmbeddingStatus.PENDING, now, now, null, null);
    }

    @Test
    void writesStayUntilARefreshThatBeganAfterThemHasEnded() {
        RecentWrites recent = new RecentWrites();
        recent.written(entry("EXP-A-1", Kind.EXPERIENCE, "AAA"));
        long mark = recent.mark();
        recent.written(entry("EXP-A-2", Kind.EXPERIENCE, "AAA")); // written while the refresh ran: not shown by it
        recent.visibleUpTo(mark);
        assertThat(recent.of(Kind.EXPERIENCE, null, 10)).extracting(Entry::id).containsExactly("EXP-A-2");
    }

    @Test
    void newestFirstByKindAndCategoryWithoutDeletedOnesAndOnlyTheNewestFew() {
        RecentWrites recent = new RecentWrites();
        recent.written(entry("EXP-A-1", Kind.EXPERIENCE, "AAA"));
        recent.written(entry("MNL-A-1", Kind.MANUAL, "AAA"));
        recent.written(entry("EXP-B-1", Kind.EXPERIENCE, "BBB"));
        recent.written(entry("EXP-A-2", Kind.EXPERIENCE, "AAA"));
        recent.deleted("EXP-A-2");
        assertThat(recent.of(Kind.EXPERIENCE, null, 10)).extracting(Entry::id).containsExactly("EXP-B-1", "EXP-A-1");
        assertThat(recent.of(Kind.EXPERIENCE, "AAA", 10)).extracting(Entry::id).containsExactly("EXP-A-1");
        assertThat(recent.of(Kind.EXPERIENCE, null, 1)).extracting(Entry::id).containsExactly("EXP-B-1");
        for (int i = 0; i < 100; i++) {
            recent.written(entry("EXP-C-" + i, Kind.EXPERIENCE, "CCC"));
        }
        assertThat(recent.of(Kind.EXPERIENCE, "AAA", 10)).as("only the newest few are kept").isEmpty();
    }
}
