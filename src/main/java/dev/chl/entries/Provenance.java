package dev.chl.entries;

import dev.chl.common.ValidationException;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;

/**
 * The provenance rules of DESIGN §2 in one place:
 * a new local entry is local/pending (or local/local_only when personal); editing a global entry makes it
 * global/pending; a global entry can never be local_only; a personal entry stays personal until asked otherwise.
 */
final class Provenance {
    private Provenance() {}

    /** The sync status of a new entry; {@code requested} may be null, pending or local_only. */
    static SyncStatus forNewEntry(SyncStatus requested) {
        if (requested == null) {
            return SyncStatus.PENDING;
        }
        if (requested == SyncStatus.SYNCED) {
            throw new ValidationException("sync_status", "only an import marks entries synced; use pending or local_only");
        }
        return requested;
    }

    /** The sync status after an edit of an entry with {@code source} and {@code current} status. */
    static SyncStatus afterEdit(Source source, SyncStatus current, SyncStatus requested) {
        if (requested == SyncStatus.SYNCED) {
            throw new ValidationException("sync_status", "only an import marks entries synced; use pending or local_only");
        }
        if (requested == SyncStatus.LOCAL_ONLY && source == Source.GLOBAL) {
            throw new ValidationException("sync_status",
                    "a global entry belongs to the published set and cannot be made personal; create a local copy instead");
        }
        if (requested != null) {
            return requested;
        }
        return current == SyncStatus.LOCAL_ONLY ? SyncStatus.LOCAL_ONLY : SyncStatus.PENDING;
    }
}
