package dev.chl.entries;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.model.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EntryIdsTest {
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07.089Z");

    @Test
    void theFirstIdOfAMillisecondIsThePlainStamp() {
        EntryIds ids = new EntryIds();
        assertThat(ids.next(Kind.EXPERIENCE, "ARC", NOW)).isEqualTo("EXP-ARC-20260304-050607089");
        assertThat(ids.next(Kind.MANUAL, "ARC", NOW)).isEqualTo("MNL-ARC-20260304-050607089");
        assertThat(ids.next(Kind.EXPERIENCE, "DAT", NOW)).isEqualTo("EXP-DAT-20260304-050607089");
    }

    @Test
    void manyIdsInOneMillisecondAreDistinctAndWellFormed() {
        EntryIds ids = new EntryIds();
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            issued.add(ids.next(Kind.EXPERIENCE, "ARC", NOW));
        }
        assertThat(new HashSet<>(issued)).hasSize(10_000);
        assertThat(issued).allSatisfy(id -> assertThat(id).matches(EntryIds.FORMAT)
                .matches("^EXP-[A-Z]{3}-\\d{8}-\\d{9}(-[a-z0-9]{1,8})?$"));
        assertThat(issued.get(0)).isEqualTo("EXP-ARC-20260304-050607089");
        assertThat(issued.get(1)).isEqualTo("EXP-ARC-20260304-050607089-2");
        assertThat(issued.get(9_999)).isEqualTo("EXP-ARC-20260304-050607089-10000");
    }

    @Test
    void theCounterRestartsInTheNextMillisecond() {
        EntryIds ids = new EntryIds();
        ids.next(Kind.EXPERIENCE, "ARC", NOW);
        ids.next(Kind.EXPERIENCE, "ARC", NOW);
        assertThat(ids.next(Kind.EXPERIENCE, "ARC", NOW.plusMillis(1))).isEqualTo("EXP-ARC-20260304-050607090");
    }

    @Test
    void concurrentCallersInOneMillisecondGetDistinctIds() throws Exception {
        EntryIds ids = new EntryIds();
        Set<String> issued = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 1_000; i++) {
                        assertThat(issued.add(ids.next(Kind.EXPERIENCE, "ARC", NOW))).isTrue();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(issued).hasSize(8_000).allSatisfy(id -> assertThat(id).matches(EntryIds.FORMAT));
    }

    @Test
    void timestampsArrivingOutOfOrderStillGetDistinctIds() {
        // Request threads read the clock before they reach the (synchronized) generator, so an older
        // millisecond can arrive after a newer one; that must not reset the newer millisecond's counter.
        EntryIds ids = new EntryIds();
        Instant later = NOW.plusMillis(1);
        Set<String> issued = new HashSet<>();
        assertThat(issued.add(ids.next(Kind.EXPERIENCE, "ARC", later))).isTrue();
        assertThat(issued.add(ids.next(Kind.EXPERIENCE, "ARC", NOW))).isTrue();
        assertThat(issued.add(ids.next(Kind.EXPERIENCE, "ARC", later))).isTrue();
        assertThat(issued.add(ids.next(Kind.EXPERIENCE, "ARC", NOW))).isTrue();
        assertThat(issued).hasSize(4).allSatisfy(id -> assertThat(id).matches(EntryIds.FORMAT));
    }

    @Test
    void randomSuffixIdsAreWellFormedAndDistinct() {
        EntryIds ids = new EntryIds();
        String plain = ids.next(Kind.MANUAL, "GLN", NOW);
        Set<String> issued = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String id = ids.withRandomSuffix(Kind.MANUAL, "GLN", NOW);
            assertThat(id).matches(EntryIds.FORMAT).startsWith(plain + "-").isNotEqualTo(plain);
            issued.add(id);
        }
        assertThat(issued).hasSize(1_000);
    }
}
