package dev.chl.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class DiskFullTest {
    @Test
    void aFullDiskIsRecognisedAnywhereInTheCauseChain() {
        assertThat(DiskFull.is(new RuntimeException("commit failed", new java.sql.SQLException(
                "[SQLITE_FULL] Insertion failed because database is full (database or disk is full)")))).isTrue();
        assertThat(DiskFull.is(new java.io.UncheckedIOException(new IOException("No space left on device")))).isTrue();
        assertThat(DiskFull.is(new IllegalStateException("something else"))).isFalse();
        assertThat(DiskFull.is(new RuntimeException((String) null))).isFalse();
        RuntimeException closing = new RuntimeException("the job failed");
        closing.addSuppressed(new IOException("No space left on device"));
        assertThat(DiskFull.is(closing)).as("a full disk met while closing").isTrue();
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(DiskFull.is(a)).as("a cause cycle ends").isFalse();
    }
}
