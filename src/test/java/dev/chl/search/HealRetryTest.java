package dev.chl.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.index.LuceneIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.index.IndexWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index whose writer Lucene closed (a full disk) while the first heal could not even start (the full disk refused
 * the rebuild job's row): health says damaged although searches still read, and the heal is asked for again.
 */
class HealRetryTest {
    @TempDir
    Path dir;

    @Test
    void aDamagedIndexWhoseHealCouldNotStartIsReportedAndHealedOnTheNextTry() throws Exception {
        try (InProcessIndex h = new InProcessIndex(dir)) {
            List<String> asked = new ArrayList<>();
            AtomicBoolean diskFull = new AtomicBoolean(true);
            h.service.healWith(reason -> {
                asked.add(reason);
                if (diskFull.getAndSet(false)) {
                    throw new IllegalStateException("[SQLITE_FULL] the rebuild job's row could not be written");
                }
                return Optional.of("JOB-heal");
            });
            h.create("Before the disk filled");
            h.indexChanges();
            h.service.healIfStillDamaged();
            assertThat(asked).as("nothing to heal yet").isEmpty();

            // Lucene closes its writer after a failed write (a "tragic event"); the files stay readable.
            java.lang.reflect.Field live = LuceneIndex.class.getDeclaredField("live");
            live.setAccessible(true);
            Object generation = live.get(h.index);
            java.lang.reflect.Field writer = generation.getClass().getDeclaredField("writer");
            writer.setAccessible(true);
            ((IndexWriter) writer.get(generation)).rollback();
            h.create("After the disk filled");
            h.indexChanges();
            assertThat(asked).as("the first heal was asked for, and could not start").hasSize(1);
            assertThat(h.service.health()).containsEntry("state", "damaged").containsEntry("readable", true);
            assertThat(h.service.status().state()).isEqualTo("damaged");

            h.service.healIfStillDamaged();
            assertThat(asked).as("asked again").hasSize(2);
            assertThat(h.service.health()).containsEntry("rebuild_job_id", "JOB-heal");
            h.service.healIfStillDamaged();
            assertThat(asked).as("not again at once: it backs off").hasSize(2);
        }
    }
}
