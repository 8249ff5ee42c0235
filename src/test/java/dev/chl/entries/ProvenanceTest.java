package dev.chl.entries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chl.common.ValidationException;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
    @Test
    void newEntriesArePendingUnlessPersonal() {
        assertThat(Provenance.forNewEntry(null)).isEqualTo(SyncStatus.PENDING);
        assertThat(Provenance.forNewEntry(SyncStatus.PENDING)).isEqualTo(SyncStatus.PENDING);
        assertThat(Provenance.forNewEntry(SyncStatus.LOCAL_ONLY)).isEqualTo(SyncStatus.LOCAL_ONLY);
        assertThatThrownBy(() -> Provenance.forNewEntry(SyncStatus.SYNCED))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors().getFirst().field()).isEqualTo("sync_status"));
    }

    @Test
    void editsMakeEntriesPendingExceptPersonalOnes() {
        assertThat(Provenance.afterEdit(Source.GLOBAL, SyncStatus.SYNCED, null)).isEqualTo(SyncStatus.PENDING);
        assertThat(Provenance.afterEdit(Source.GLOBAL, SyncStatus.PENDING, null)).isEqualTo(SyncStatus.PENDING);
        assertThat(Provenance.afterEdit(Source.LOCAL, SyncStatus.PENDING, null)).isEqualTo(SyncStatus.PENDING);
        assertThat(Provenance.afterEdit(Source.LOCAL, SyncStatus.SYNCED, null)).isEqualTo(SyncStatus.PENDING);
        assertThat(Provenance.afterEdit(Source.LOCAL, SyncStatus.LOCAL_ONLY, null)).isEqualTo(SyncStatus.LOCAL_ONLY);
        assertThat(Provenance.afterEdit(Source.LOCAL, SyncStatus.LOCAL_ONLY, SyncStatus.PENDING)).isEqualTo(SyncStatus.PENDING);
        assertThat(Provenance.afterEdit(Source.LOCAL, SyncStatus.PENDING, SyncStatus.LOCAL_ONLY)).isEqualTo(SyncStatus.LOCAL_ONLY);
    }

    @Test
    void globalEntriesCannotBecomePersonalAndNothingBecomesSyncedByEdit() {
        assertThatThrownBy(() -> Provenance.afterEdit(Source.GLOBAL, SyncStatus.SYNCED, SyncStatus.LOCAL_ONLY))
                .isInstanceOf(ValidationException.class).hasMessageContaining("sync_status");
        assertThatThrownBy(() -> Provenance.afterEdit(Source.LOCAL, SyncStatus.PENDING, SyncStatus.SYNCED))
                .isInstanceOf(ValidationException.class).hasMessageContaining("sync_status");
    }
}
