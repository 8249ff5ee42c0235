package dev.chl.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.TempDirs;
import dev.chl.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A process killed mid-backup, mid-export, mid-key-upload or mid-snapshot-download leaves its partial files; the next start deletes them — and
 * only them: anything else in those folders, named otherwise, is someone's and stays.
 */
class StartUpLeftoversTest {
    @Test
    void partialBackupsAndSnapshotScratchLeftByAKilledProcessAreDeletedAtStartUp() throws IOException {
        Path data = Files.createTempDirectory("chl-leftovers-");
        Path backups = Files.createDirectories(data.resolve("backups"));
        Path partial = Files.writeString(backups.resolve("chl-20261127-101500-123.db.partial"), "half a database");
        Path journal = Files.writeString(backups.resolve("chl-20261127-101500-123.db.partial-journal"), "its journal");
        Path backup = Files.writeString(backups.resolve("chl-20261126-090000-000.db"), "a finished backup");
        Path notes = Files.writeString(backups.resolve("notes.partial"), "the operator's");
        Path lookalike = Files.writeString(backups.resolve("chl-yesterday.db.partial"), "not named by CHL");
        Path tmp = Files.createDirectories(data.resolve("tmp"));
        Path download = Files.createDirectories(tmp.resolve("download-8412097731029384756"));
        Files.writeString(download.resolve("_0.cfs"), "a copied index file");
        Path upload = Files.createDirectories(tmp.resolve("upload-42"));
        Files.writeString(upload.resolve("segments_3"), "an unpacked upload");
        Path ownFolder = Files.createDirectories(tmp.resolve("download-mine"));
        Path ownFile = Files.writeString(tmp.resolve("upload-7"), "a file, not a scratch folder");
        Path exports = Files.createDirectories(data.resolve("exports"));
        Path partialExport = Files.writeString(exports.resolve("JOB-20261127-101500123-ab12.partial"), "half a workbook");
        Path finishedExport = Files.writeString(exports.resolve("JOB-20261126-090000000-cd34.xlsx"), "a finished export");
        Path credentials = Files.createDirectories(data.resolve("credentials"));
        Path partialKey = Files.writeString(credentials.resolve("service-account-0123456789ab.json.partial"), "half a key");
        Path otherKey = Files.writeString(credentials.resolve("mine.json.partial"), "not named by CHL");
        try {
            try (TestServer server = TestServer.startIn(data)) {
                assertThat(server.http().get("/health").status()).isEqualTo(200);
            }

            assertThat(partial).doesNotExist();
            assertThat(journal).doesNotExist();
            assertThat(download).doesNotExist();
            assertThat(upload).doesNotExist();
            assertThat(partialExport).doesNotExist();
            assertThat(partialKey).doesNotExist();
            assertThat(finishedExport).exists();
            assertThat(otherKey).exists();
            assertThat(backup).as("a finished backup").exists();
            assertThat(notes).exists();
            assertThat(lookalike).exists();
            assertThat(ownFolder).exists();
            assertThat(ownFile).exists();
        } finally {
            TempDirs.deleteQuietly(data);
        }
    }
}
