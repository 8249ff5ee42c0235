package dev.chl.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chl.common.ValidationException;
import dev.chl.entries.EntryChange;
import dev.chl.entries.EntryService;
import dev.chl.model.Actor;
import dev.chl.model.Channel;
import dev.chl.model.EmbeddingStatus;
import dev.chl.model.Entry;
import dev.chl.model.Kind;
import dev.chl.model.Section;
import dev.chl.model.Source;
import dev.chl.model.SyncStatus;
import dev.chl.testing.OpsHarness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An edit that commits after an import planned (while its backup runs, say) and before it applies is planned with,
 * not lost: the apply plans again inside its own transaction. A published entry edited meanwhile became a local draft
 * and is kept, not retired with its edit; an entry whose row the sheet has is written from the sheet, forward in time
 * and with the index told — never put back to the copy read at planning time.
 */
class ApplyReadsTheLibraryNowTest {
    private static final Actor EDITOR = new Actor("editor", Channel.API);
    private static final Actor IMPORT = new Actor("import", Channel.SYSTEM);
    private static final String PUBLISHED = "EXP-TST-20260101-120000001";
    private static final String DRAFT = "EXP-TST-20260101-120000002";
    private static final Instant WRITTEN = Instant.parse("2026-01-01T12:00:00Z");

    private OpsHarness h;
    private EntryService entries;
    private ExchangeService exchange;
    private final List<EntryChange> indexTold = new ArrayList<>();

    @BeforeEach
    void library() {
        h = new OpsHarness(0);
        entries = InProcessImport.entries(h);
        exchange = InProcessImport.exchange(h, indexTold::addAll);
        h.database.write(tx -> {
            tx.entries().insert(entry(PUBLISHED, "Published heuristic", Source.GLOBAL, SyncStatus.SYNCED));
            tx.entries().insert(entry(DRAFT, "Draft heuristic", Source.LOCAL, SyncStatus.PENDING));
            return null;
        });
    }

    @AfterEach
    void close() {
        h.close();
    }

    private static Entry entry(String id, String title, Source source, SyncStatus sync) {
        return new Entry(id, Kind.EXPERIENCE, OpsHarness.CATEGORY, Section.USEFUL, title, "Its playbook.", null, null, null,
                source, sync, "curator", EmbeddingStatus.EMBEDDED, WRITTEN, WRITTEN, null, null);
    }

    /** The published set: the draft's row exactly as stored, and no row for the published entry (so: retire it). */
    private static ExchangeService.ImportSource sheetWithoutThePublishedEntry() {
        return InProcessImport.sheet(InProcessImport.experience(DRAFT, "Draft heuristic"));
    }

    private Entry stored(String id) {
        return h.database.read(tx -> tx.entries().find(Kind.EXPERIENCE, id)).orElse(null);
    }

    @Test
    void editsCommittedBetweenThePlanAndTheApplyAreNotLost() {
        ExchangeService.ImportSource sheet = sheetWithoutThePublishedEntry();
        ImportPlan planned = exchange.plan(sheet, InProcessImport.context());
        assertThat(planned.retires()).extracting(Entry::id).containsExactly(PUBLISHED);
        assertThat(planned.unchanged()).extracting(Entry::id).containsExactly(DRAFT);

        Entry publishedEdit = entries.update(EDITOR, Kind.EXPERIENCE, PUBLISHED, Map.of("context", "edited after the plan"));
        Entry draftEdit = entries.update(EDITOR, Kind.EXPERIENCE, DRAFT, Map.of("context", "also edited after the plan"));
        assertThat(publishedEdit.syncStatus()).as("an edit makes a published entry a local draft").isEqualTo(SyncStatus.PENDING);

        Map<String, Object> summary = exchange.apply(sheet, null, IMPORT, InProcessImport.context(), Map.of());

        assertThat(stored(PUBLISHED)).as("kept, not retired").isNotNull();
        assertThat(stored(PUBLISHED).context()).isEqualTo("edited after the plan");
        assertThat(summary).containsEntry("keep_local", List.of(PUBLISHED));
        // The sheet's row wins for the draft (that is what importing a published set means), as a real update.
        Entry draft = stored(DRAFT);
        assertThat(draft.context()).isNull();
        assertThat(draft.syncStatus()).isEqualTo(SyncStatus.SYNCED);
        assertThat(draft.updatedAt()).as("forward in time, never back to the planned copy's").isAfter(draftEdit.updatedAt());
        assertThat(indexTold).extracting(EntryChange::type, c -> c.entry().id()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(EntryChange.Type.UPDATED, DRAFT));
    }

    @Test
    void anApplyHeldToTheReviewedPlanRefusesOnceAnEditChangedItAndChangesNothing() {
        ExchangeService.ImportSource sheet = sheetWithoutThePublishedEntry();
        String reviewed = exchange.plan(sheet, InProcessImport.context()).fingerprint();
        entries.update(EDITOR, Kind.EXPERIENCE, PUBLISHED, Map.of("context", "edited after the dry run"));

        assertThatThrownBy(() -> exchange.apply(sheet, reviewed, IMPORT, InProcessImport.context(), Map.of()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("changed since the dry run");
        assertThat(stored(PUBLISHED).context()).isEqualTo("edited after the dry run");
        assertThat(stored(DRAFT).syncStatus()).as("nothing applied").isEqualTo(SyncStatus.PENDING);
    }
}
