package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads and export files do not pile up for ever: uploads go after a day, exports after a week or past the newest 20. */
class ExchangePruneTaskTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path dir;

    private Path file(Path folder, String name, Duration age) throws IOException {
        Files.createDirectories(folder);
        Path f = Files.writeString(folder.resolve(name), name);
        Files.setLastModifiedTime(f, FileTime.from(NOW.minus(age)));
        return f;
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void uploadsADayOldAndExportsAWeekOldOrBeyondTheNewestTwentyAreDeletedOtherFilesNever() throws IOException {
        Path uploads = dir.resolve("uploads");
        Path exports = dir.resolve("exports");
        file(uploads, "upl-aaaaaaaaaaaaaaaaaaaa.bin", Duration.ofHours(25));
        file(uploads, "upl-aaaaaaaaaaaaaaaaaaaa.json", Duration.ofHours(25));
        file(uploads, "upl-bbbbbbbbbbbbbbbbbbbb.bin", Duration.ofHours(2));
        file(uploads, "upl-bbbbbbbbbbbbbbbbbbbb.json", Duration.ofHours(2));
        file(uploads, "notes.txt", Duration.ofDays(30));
        // its description written a moment after its bytes: judged by the bytes' age, both go together
        file(uploads, "upl-cccccccccccccccccccc.bin", Duration.ofHours(25));
        file(uploads, "upl-cccccccccccccccccccc.json", Duration.ofHours(23));
        List<String> recent = new ArrayList<>();
        for (int i = 0; i < 22; i++) {
            // named by time as job ids are; the two oldest names fall beyond the newest 20
            String name = String.format("JOB-20261128-%09d-abcd.%s", 100_000_000 + i, i % 2 == 0 ? "zip" : "xlsx");
            file(exports, name, Duration.ofHours(1));
            recent.add(name);
        }
        file(exports, "JOB-20261101-100000000-old1.xlsx", Duration.ofDays(8));
        file(exports, "JOB-20261128-100000030-wxyz.partial", Duration.ofDays(8));
        file(exports, "keep-me.zip", Duration.ofDays(30));

        new ExchangePruneTask(uploads, exports, Clock.fixed(NOW, ZoneOffset.UTC)).run();

        assertThat(names(uploads)).containsExactly("notes.txt", "upl-bbbbbbbbbbbbbbbbbbbb.bin", "upl-bbbbbbbbbbbbbbbbbbbb.json");
        List<String> expected = new ArrayList<>(recent.subList(2, 22));
        expected.add("JOB-20261128-100000030-wxyz.partial");
        expected.add("keep-me.zip");
        assertThat(names(exports)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void missingFoldersAreNoError() {
        new ExchangePruneTask(dir.resolve("none"), dir.resolve("neither"), Clock.fixed(NOW, ZoneOffset.UTC)).run();
    }
}
