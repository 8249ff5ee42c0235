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
    }
}
