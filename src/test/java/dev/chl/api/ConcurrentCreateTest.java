package dev.chl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.Fixtures;
import dev.chl.testing.Http;
import dev.chl.testing.Pages;
import dev.chl.testing.Sqlite;
import dev.chl.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Entry ids stay unique when many writers create entries in the same category at the same time. */
class ConcurrentCreateTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 250;
    private static final int TOTAL = THREADS * PER_THREAD;
    private static final Pattern ID = Pattern.compile("^EXP-[A-Z]{3}-\\d{8}-\\d{9}(-[a-z0-9]{1,8})?$");

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void eightWritersCreateTwoThousandEntriesWithDistinctIds() throws Exception {
        try (TestServer server = TestServer.start()) {
            Http http = server.http();
            String code = Fixtures.newCategory(http);
            ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int writer = t;
                    Http as = http.as("writer-" + writer);
                    writers.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < PER_THREAD; i++) {
                            Http.Response r = as.post("/api/v1/experiences", Fixtures.experience(code, "w" + writer + " #" + i));
                            if (r.status() == 201) {
                                ids.add(r.json().path("entry").path("id").asString());
                            } else {
                                failures.add(r.toString());
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> writer : writers) {
                    writer.get(80, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(failures).as("every create answered 201").isEmpty();
            assertThat(ids).hasSize(TOTAL);
            Set<String> distinct = new HashSet<>(ids);
            assertThat(distinct).as("distinct ids").hasSize(TOTAL);
            assertThat(distinct).allSatisfy(id -> assertThat(id).matches(ID).startsWith("EXP-" + code + "-"));

            Pages.Walk walk = Pages.walk(http, "/api/v1/experiences?category=" + code + "&limit=500", 10);
            assertThat(walk.pageSizes()).containsExactly(500, 500, 500, 500);
            assertThat(walk.ids()).containsExactlyInAnyOrderElementsOf(distinct);

            assertThat(http.get("/api/v1/categories/" + code).json().path("experience_count").asLong()).isEqualTo(TOTAL);
            Sqlite db = Sqlite.of(server);
            assertThat(db.count("SELECT count(*) FROM experiences WHERE category_code = ?", code)).isEqualTo(TOTAL);
            assertThat(db.count("SELECT count(*) FROM audit_log WHERE action = 'entry.create'")).as("one audit row per create")
                    .isEqualTo(TOTAL);
        }
    }
}
