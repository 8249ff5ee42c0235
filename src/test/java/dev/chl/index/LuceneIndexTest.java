package dev.chl.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneIndexTest {
    private static final String MODEL = "test-model";
    private static final int DIM = 4;
    private static final float[] X = {1, 0, 0, 0};
    private static final float[] Y = {0, 1, 0, 0};
    private static final float[] XY = {0.6f, 0.8f, 0, 0};

    @TempDir
    Path root;
    private LuceneIndex index;

    @BeforeEach
    void open() {
        index = LuceneIndex.open(root, MODEL, DIM);
    }

    @AfterEach
    void close() {
        index.close();
    }

    private static IndexDocument exp(String id, String category, String title, String body, float[] vector) {
        return new IndexDocument(id, "experience", category, "useful", title, body, null, 1000, vector);
    }

    private static IndexDocument manual(String id, String category, String title, String body, float[] vector) {
        return new IndexDocument(id, "manual", category, null, title, body, "summary " + id, 2000, vector);
    }

    private List<String> lexical(String text) {
        return lexical(text, Filter.NONE);
    }

    private List<String> lexical(String text, Filter filter) {
        return index.lexical(List.of(new WeightedText(text, 1f)), filter, 10).stream().map(Hit::id).toList();
    }

    private List<String> vector(float[] v, Filter filter) {
        return index.vector(v, filter, 10).stream().map(Hit::id).toList();
    }

    @Test
    void freshIndexIsEmptyAndSaysItNeedsBuilding() throws IOException {
        assertThat(index.openProblem()).isEqualTo("no index yet");
        assertThat(index.stats().documents()).isZero();
        assertThat(Files.readString(root.resolve("CURRENT"), StandardCharsets.UTF_8).strip()).startsWith("gen-");
    }

    @Test
    void hasVectorsOnlyOnceADocumentCarriesOne() {
        assertThat(index.hasVectors()).as("empty").isFalse();
        index.upsert(exp("V1", "ABC", "Words only", "Not embedded yet.", null));
        index.refresh();
        assertThat(index.hasVectors()).as("a document without a vector").isFalse();
        index.upsert(exp("V2", "ABC", "Embedded", "Has a vector.", X));
        index.refresh();
        assertThat(index.hasVectors()).isTrue();
    }

    @Test
    void theChecksumIsReadWhileCommitsGoOn() throws Exception {
        // A commit deletes the previous commit's segments file; the checksum used to read the files of the commit it
        // had found and fail (a 500 on GET /api/v1/index) when a commit finished in between.
        index.upsert(exp("C0", "ABC", "Checksum under commits", "Body.", X));
        index.commit();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> committerFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread committer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 1; !stop.get(); i++) {
                    index.upsert(exp("C" + i, "ABC", "Checksum under commits " + i, "Body.", X));
                    index.commit();
                }
            } catch (Throwable t) {
                committerFailure.set(t);
            }
        });
        try {
            for (int i = 0; i < 300; i++) {
                assertThat(index.checksum()).as("round %d", i).hasSize(16);
            }
        } finally {
            stop.set(true);
            committer.join();
        }
        assertThat(committerFailure.get()).isNull();
    }

    @Test
    void aDeleteNeverShowsInASearchThatRacesARefresh() throws Exception {
        // The background refresher runs all the time; a search that took its searcher just before a refresh finished
        // must still hide what was deleted before that refresh (it used to read the cleared set and show it).
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> refresherFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread refresher = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    index.refresh();
                }
            } catch (Throwable t) {
                refresherFailure.set(t);
            }
        });
        try {
            for (int i = 0; i < 300; i++) {
                String id = "E" + i;
                index.upsert(exp(id, "ABC", "Albatross shard rebalancing", "Rebalance the albatross shard.", X));
                index.refresh();
                assertThat(lexical("albatross shard")).as("round %d: found before its delete", i).contains(id);
                index.delete(id);
                assertThat(lexical("albatross shard")).as("round %d", i).doesNotContain(id);
                assertThat(vector(X, Filter.NONE)).as("round %d", i).doesNotContain(id);
            }
        } finally {
            stop.set(true);
            refresher.join();
        }
        assertThat(refresherFailure.get()).as("the refresher raced the searches to the end").isNull();
    }

    @Test
    void upsertBecomesSearchableAtRefresh() {
        index.upsert(exp("E1", "ABC", "Connection pooling", "Keep a bounded pool of database connections.", null));
        assertThat(lexical("pool")).as("not visible before a refresh").isEmpty();

        index.refreshIfChanged();

        assertThat(lexical("pooling")).containsExactly("E1");
        assertThat(lexical("databases")).as("English stemming").containsExactly("E1");
    }

    @Test
    void upsertReplacesTheDocumentWithTheSameId() {
        index.upsert(exp("E1", "ABC", "Old title", "old words", null));
        index.refresh();
        index.upsert(exp("E1", "ABC", "New title", "fresh words", X));
        index.refresh();

        assertThat(lexical("old")).isEmpty();
        assertThat(lexical("fresh")).containsExactly("E1");
        assertThat(index.stats().experiences()).isEqualTo(1);
        assertThat(index.stats().vectors()).isEqualTo(1);
    }

    @Test
    void lexicalRanksTitleMatchesFirstAndMeasuresCoverage() {
        index.upsert(exp("BODY", "ABC", "Something else", "the retry budget matters", null));
        index.upsert(exp("TITLE", "ABC", "Retry budget", "unrelated text", null));
        index.upsert(exp("NONE", "ABC", "Nothing", "nothing here", null));
        index.refresh();

        List<Hit> hits = index.lexical(List.of(new WeightedText("retry budget alpha beta gamma", 1f)), Filter.NONE, 10);

        assertThat(hits).extracting(Hit::id).containsExactly("TITLE", "BODY");
        assertThat(hits.getFirst().coverage()).isCloseTo(0.4f, within(1e-6f));
        assertThat(hits.getFirst().score()).isGreaterThan(hits.get(1).score());
    }

    @Test
    void coverageWeighsTheTaskPartLess() {
        index.upsert(exp("E", "ABC", "Retry", "budget", null));
        index.refresh();

        Hit hit = index.lexical(List.of(new WeightedText("retry", 1f), new WeightedText("budget zebra", 0.5f)), Filter.NONE, 10).getFirst();

        assertThat(hit.coverage()).isCloseTo(1.5f / 2f, within(1e-6f));
    }

    @Test
    void extraAndMetaTextAreSearchable() {
        index.upsert(manual("M1", "OPS", "Runbook", "page the on-call", null));
        index.refresh();

        assertThat(lexical("summary")).containsExactly("M1");
        assertThat(lexical("ops")).as("the category code is searchable").containsExactly("M1");
        assertThat(lexical("the of and")).as("only stop words").isEmpty();
    }

    @Test
    void filtersRestrictLexicalAndVectorSearch() {
        index.upsert(exp("E-ABC", "ABC", "shared words", "shared words", X));
        index.upsert(exp("E-DEF", "DEF", "shared words", "shared words", X));
        index.upsert(manual("M-ABC", "ABC", "shared words", "shared words", X));
        index.refresh();

        assertThat(lexical("shared")).containsExactlyInAnyOrder("E-ABC", "E-DEF", "M-ABC");
        assertThat(lexical("shared", new Filter("experience", null))).containsExactlyInAnyOrder("E-ABC", "E-DEF");
        assertThat(lexical("shared", new Filter(null, "ABC"))).containsExactlyInAnyOrder("E-ABC", "M-ABC");
        assertThat(lexical("shared", new Filter("manual", "DEF"))).isEmpty();
        assertThat(vector(X, new Filter("experience", "DEF"))).containsExactly("E-DEF");
        assertThat(vector(X, new Filter("manual", null))).containsExactly("M-ABC");
    }

    @Test
    void vectorSearchReturnsNearestByCosineAndSkipsUnembedded() {
        index.upsert(exp("X", "ABC", "x", "x", X));
        index.upsert(exp("Y", "ABC", "y", "y", Y));
        index.upsert(exp("XY", "ABC", "xy", "xy", XY));
        index.upsert(exp("NOVEC", "ABC", "none", "none", null));
        index.refresh();

        List<Hit> hits = index.vector(X, Filter.NONE, 10);

        assertThat(hits).extracting(Hit::id).containsExactly("X", "XY", "Y");
        assertThat(hits.get(0).score()).isCloseTo(1f, within(1e-5f));
        assertThat(hits.get(1).score()).isCloseTo(0.6f, within(1e-5f));
        assertThat(hits.get(2).score()).isCloseTo(0f, within(1e-5f));
        assertThat(hits).allSatisfy(h -> assertThat(h.coverage()).isEqualTo(1f));
        assertThat(index.vector(X, Filter.NONE, 1)).extracting(Hit::id).containsExactly("X");
    }

    @Test
    void vectorOfTheWrongDimensionIsRefused() {
        assertThatThrownBy(() -> index.upsert(exp("E", "ABC", "t", "b", new float[] {1, 0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimensions");
    }

    @Test
    void deleteIsHiddenAtOnceWithoutARefresh() {
        index.upsert(exp("KEEP", "ABC", "keep alpha", "alpha", X));
        index.upsert(exp("GONE", "ABC", "gone alpha", "alpha", X));
        index.refresh();

        index.delete("GONE");

        assertThat(lexical("alpha")).containsExactly("KEEP");
        assertThat(vector(X, Filter.NONE)).containsExactly("KEEP");
        index.refreshIfChanged();
        assertThat(lexical("alpha")).containsExactly("KEEP");
        assertThat(index.stats().experiences()).isEqualTo(1);
    }

    @Test
    void statsCountKindsVectorsAndNewestChange() {
        index.upsert(exp("E1", "ABC", "a", "a", X));
        index.upsert(exp("E2", "ABC", "b", "b", null));
        index.upsert(manual("M1", "ABC", "c", "c", Y));
        index.refresh();

        IndexStats stats = index.stats();

        assertThat(stats.experiences()).isEqualTo(2);
        assertThat(stats.manuals()).isEqualTo(1);
        assertThat(stats.documents()).isEqualTo(3);
        assertThat(stats.vectors()).isEqualTo(2);
        assertThat(stats.maxUpdatedAtMillis()).isEqualTo(2000);
        assertThat(stats.modelId()).isEqualTo(MODEL);
        assertThat(stats.dimension()).isEqualTo(DIM);
        assertThat(stats.sizeBytes()).isPositive();
    }

    @Test
    void contentSurvivesCloseAndReopen() {
        index.upsert(exp("E1", "ABC", "durable words", "kept", X));
        index.close();

        index = LuceneIndex.open(root, MODEL, DIM);

        assertThat(index.openProblem()).isNull();
        assertThat(lexical("durable")).containsExactly("E1");
        assertThat(index.stats().vectors()).isEqualTo(1);
    }

    @Test
    void indexOfAnotherModelIsReplacedByAnEmptyOne() {
        index.upsert(exp("E1", "ABC", "words", "words", X));
        index.close();

        index = LuceneIndex.open(root, "other-model", DIM);

        assertThat(index.openProblem()).contains("test-model").contains("other-model");
        assertThat(index.stats().documents()).isZero();
    }

    @Test
    void unreadableIndexIsReplacedByAnEmptyOneAndTheWreckRemoved() throws IOException {
        index.upsert(exp("E1", "ABC", "words", "words", X));
        index.close();
        Path generation = root.resolve(Files.readString(root.resolve("CURRENT")).strip());
        try (Stream<Path> files = Files.list(generation)) {
            for (Path f : files.toList()) {
                Files.write(f, "garbage".getBytes(StandardCharsets.UTF_8));
            }
        }

        index = LuceneIndex.open(root, MODEL, DIM);

        assertThat(index.openProblem()).contains("unreadable");
        assertThat(index.stats().documents()).isZero();
        assertThat(generation).doesNotExist();
        assertThat(root.resolve(Files.readString(root.resolve("CURRENT")).strip())).isDirectory();
    }

    @Test
    void currentNamingAMissingFolderStartsEmpty() throws IOException {
        index.close();
        Files.writeString(root.resolve("CURRENT"), "gen-does-not-exist\n");

        index = LuceneIndex.open(root, MODEL, DIM);

        assertThat(index.openProblem()).isEqualTo("no index yet");
    }

    @Test
    void rebuildSwapsInTheNewGenerationAndReplaysChangesMadeMeanwhile() throws IOException {
        index.upsert(exp("OLD", "ABC", "old alpha", "alpha", X));
        index.upsert(exp("STAYS", "ABC", "stays alpha", "alpha", X));
        index.refresh();
        String before = Files.readString(root.resolve("CURRENT")).strip();

        Rebuild rebuild = index.startRebuild();
        rebuild.add(exp("NEW", "ABC", "new alpha", "alpha", Y));
        rebuild.add(exp("STAYS", "ABC", "stays alpha", "alpha", X));
        rebuild.add(exp("DOOMED", "ABC", "doomed alpha", "alpha", X));
        // Writes to the live index during the rebuild: served now, and replayed onto the new generation.
        index.upsert(exp("DURING", "ABC", "during alpha", "alpha", XY));
        index.delete("DOOMED");
        index.refresh();
        assertThat(lexical("alpha")).as("the old generation serves until the swap").containsExactlyInAnyOrder("OLD", "STAYS", "DURING");
        rebuild.finish();
        rebuild.close();

        assertThat(lexical("alpha")).containsExactlyInAnyOrder("NEW", "STAYS", "DURING");
        assertThat(rebuild.added()).isEqualTo(3);
        String after = Files.readString(root.resolve("CURRENT")).strip();
        assertThat(after).isNotEqualTo(before);
        assertThat(root.resolve(before)).doesNotExist();
        assertThat(index.stats().vectors()).isEqualTo(3);

        index.close();
        index = LuceneIndex.open(root, MODEL, DIM);
        assertThat(index.openProblem()).isNull();
        assertThat(lexical("alpha")).containsExactlyInAnyOrder("NEW", "STAYS", "DURING");
    }

    @Test
    void abandonedRebuildKeepsTheOldIndexExactlyAsItWas() throws IOException {
        index.upsert(exp("OLD", "ABC", "old alpha", "alpha", X));
        index.refresh();
        index.commit();
        String current = Files.readString(root.resolve("CURRENT")).strip();
        String checksum = index.checksum();

        Rebuild rebuild = index.startRebuild();
        rebuild.add(exp("NEW", "ABC", "new alpha", "alpha", Y));
        rebuild.add(exp("NEW2", "ABC", "new alpha", "alpha", Y));
        rebuild.close();

        assertThat(lexical("alpha")).containsExactly("OLD");
        assertThat(index.stats().documents()).isEqualTo(1);
        assertThat(index.checksum()).isEqualTo(checksum);
        assertThat(Files.readString(root.resolve("CURRENT")).strip()).isEqualTo(current);
        try (Stream<Path> children = Files.list(root)) {
            assertThat(children.filter(p -> p.getFileName().toString().startsWith("gen-")).toList())
                    .as("the abandoned generation is deleted").containsExactly(root.resolve(current));
        }
        // Writes after the abandoned rebuild go to the live index only, and a new rebuild may start.
        index.upsert(exp("LATER", "ABC", "later alpha", "alpha", X));
        index.refresh();
        assertThat(lexical("alpha")).containsExactlyInAnyOrder("OLD", "LATER");
        try (Rebuild again = index.startRebuild()) {
            again.add(exp("NEW", "ABC", "new alpha", "alpha", Y));
            again.finish();
        }
        assertThat(lexical("alpha")).containsExactly("NEW");
    }

    @Test
    void onlyOneRebuildAtATime() {
        try (Rebuild first = index.startRebuild()) {
            assertThatThrownBy(index::startRebuild).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void checksumChangesWithContentAndIsStableOtherwise() {
        String empty = index.checksum();
        assertThat(index.checksum()).isEqualTo(empty);

        index.upsert(exp("E1", "ABC", "words", "words", X));
        assertThat(index.checksum()).as("uncommitted changes do not count").isEqualTo(empty);
        index.commit();

        assertThat(index.checksum()).isNotEqualTo(empty).hasSize(16);
    }

    @Test
    void committedCopyValidatesAndCanReplaceTheLiveIndex(@TempDir Path scratch) throws IOException {
        index.upsert(exp("SNAP", "ABC", "snapshot alpha", "alpha", X));
        Path copy = scratch.resolve("copy");
        List<Path> files = index.copyCommitTo(copy);
        assertThat(files).isNotEmpty().allSatisfy(f -> assertThat(f).startsWith(copy).isRegularFile());
        assertThat(index.validateFolder(copy)).isNull();

        index.delete("SNAP");
        index.upsert(exp("OTHER", "ABC", "other alpha", "alpha", X));
        index.refresh();
        assertThat(lexical("alpha")).containsExactly("OTHER");

        index.replaceWith(copy);

        assertThat(lexical("alpha")).containsExactly("SNAP");
        assertThat(copy).doesNotExist();
    }

    @Test
    void validateFolderRejectsGarbageAndOtherModels(@TempDir Path scratch) throws IOException {
        Path garbage = Files.createDirectories(scratch.resolve("garbage"));
        Files.writeString(garbage.resolve("segments_1"), "not lucene");
        assertThat(index.validateFolder(garbage)).contains("not a readable Lucene index");

        Path empty = Files.createDirectories(scratch.resolve("empty"));
        assertThat(index.validateFolder(empty)).isNotNull();

        Path otherRoot = scratch.resolve("other");
        try (LuceneIndex other = LuceneIndex.open(otherRoot, "other-model", DIM)) {
            other.upsert(exp("E", "ABC", "a", "a", X));
            other.copyCommitTo(scratch.resolve("other-copy"));
        }
        assertThat(index.validateFolder(scratch.resolve("other-copy"))).contains("other-model");
    }

    @Test
    void damagedFileFailsValidation(@TempDir Path scratch) throws IOException {
        index.upsert(exp("E", "ABC", "alpha", "alpha beta gamma", X));
        Path copy = scratch.resolve("copy");
        List<Path> files = index.copyCommitTo(copy);
        Path victim = files.stream().filter(f -> !f.getFileName().toString().startsWith("segments"))
                .max(java.util.Comparator.comparingLong(LuceneIndexTest::size)).orElseThrow();
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(victim, bytes);

        assertThat(index.validateFolder(copy)).isNotNull();
    }

    // ---- a rebuild and a snapshot install never overlap ------------------------------------------------------------

    @Test
    void aSnapshotIsNotInstalledWhileARebuildRunsAndTheRebuildStillGetsEveryChange(@TempDir Path scratch) throws IOException {
        index.upsert(exp("SNAP", "ABC", "snapshot alpha", "alpha", X));
        Path copy = scratch.resolve("copy");
        index.copyCommitTo(copy);

        try (Rebuild rebuild = index.startRebuild()) {
            rebuild.add(exp("SNAP", "ABC", "snapshot alpha", "alpha", X));
            // An install used to swap in here and end the rebuild's record of changes: the writes below were lost.
            assertThatThrownBy(() -> index.replaceWith(copy)).isInstanceOf(IllegalStateException.class).hasMessageContaining("rebuild");
            assertThat(copy).as("the refused snapshot is left where it was").isDirectory();
            index.upsert(exp("DURING", "ABC", "during alpha", "alpha", Y));
            index.delete("SNAP");
            rebuild.finish();
        }

        assertThat(lexical("alpha")).containsExactly("DURING");
        index.replaceWith(copy);
        assertThat(lexical("alpha")).as("once the rebuild is over, an install goes ahead").containsExactly("SNAP");
    }

    // ---- the checksum moves only with the content -------------------------------------------------------------------

    @Test
    void aCommitWithNothingNewWritesNothingSoTheChecksumStays(@TempDir Path scratch) throws IOException {
        index.upsert(exp("E1", "ABC", "words", "words", X));
        index.commit();
        String checksum = index.checksum();

        index.commit();
        assertThat(index.checksum()).as("a commit with nothing to commit").isEqualTo(checksum);
        index.copyCommitTo(scratch.resolve("download"));
        assertThat(index.checksum()).as("a snapshot download commits first").isEqualTo(checksum);
        index.replaceWith(scratch.resolve("download"));
        assertThat(index.checksum()).as("installing that same snapshot").isEqualTo(checksum);
        index.close();
        index = LuceneIndex.open(root, MODEL, DIM);
        assertThat(index.checksum()).as("a restart").isEqualTo(checksum);

        index.upsert(exp("E2", "ABC", "more words", "words", X));
        index.commit();
        assertThat(index.checksum()).isNotEqualTo(checksum);
    }

    // ---- damage -----------------------------------------------------------------------------------------------------

    @Test
    void aFlippedByteInsideAFileIsCaughtAtOpenAndTheIndexStartsEmpty() throws IOException {
        for (int i = 0; i < 50; i++) {
            index.upsert(exp("E" + i, "ABC", "stored words " + i, "a body long enough to be compressed " + i, X));
        }
        index.close();
        Path generation = liveGeneration();
        Path victim = largestDataFile(generation);
        flipByteInTheMiddle(victim);

        index = LuceneIndex.open(root, MODEL, DIM);

        assertThat(index.openProblem()).as("Lucene itself opens such an index and fails only on reading the byte")
                .contains("unreadable").contains(victim.getFileName().toString()).contains("checksum");
        assertThat(index.stats().documents()).isZero();
        assertThat(generation).as("the damaged generation is cleared away").doesNotExist();
    }

    @Test
    void aGenerationDeletedUnderTheRunningIndexIsReportedOnceAsDamageUntilARebuildReplacesIt() throws IOException {
        index.upsert(exp("E1", "ABC", "alpha words", "alpha", X));
        index.commit();
        index.refresh();
        List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        index.onDamage(reported::add);

        LuceneIndex.deleteTree(liveGeneration());

        assertThatThrownBy(index::stats).isInstanceOf(IndexDamagedException.class).hasMessageContaining("is gone");
        assertThatThrownBy(index::checksum).isInstanceOf(IndexDamagedException.class);
        assertThatThrownBy(() -> index.copyCommitTo(root.resolveSibling("copy-of-nothing"))).isInstanceOf(IndexDamagedException.class);
        assertThat(reported).as("told once, for the heal to start once").hasSize(1);
        assertThat(index.damage()).isEqualTo(reported.getFirst()).contains("damaged");

        try (Rebuild rebuild = index.startRebuild()) {
            rebuild.add(exp("E1", "ABC", "alpha words", "alpha", X));
            assertThatThrownBy(() -> index.upsert(exp("E2", "ABC", "alpha during", "alpha", Y)))
                    .as("the live generation cannot take it, the rebuild does").isInstanceOf(IndexDamagedException.class);
            rebuild.finish();
        }
        assertThat(index.damage()).isNull();
        assertThat(index.stats().documents()).isEqualTo(2);
        assertThat(index.checksum()).hasSize(16);
        assertThat(lexical("alpha")).containsExactlyInAnyOrder("E1", "E2");
    }

    @Test
    void aWriterLuceneClosedIsDamageEvenThoughEveryFileChecksOut() throws Exception {
        index.upsert(exp("W1", "ABC", "walrus words", "walrus", X));
        index.commit();
        List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        index.onDamage(reported::add);
        // What Lucene does after a failure while writing segments (a "tragic event", e.g. a full disk): it closes the
        // writer, and every later write fails although the files on disk are intact.
        java.lang.reflect.Field live = LuceneIndex.class.getDeclaredField("live");
        live.setAccessible(true);
        ((Generation) live.get(index)).writer.rollback();

        assertThatThrownBy(() -> index.upsert(exp("W2", "ABC", "walrus later", "walrus", Y)))
                .isInstanceOf(IndexDamagedException.class).hasMessageContaining("writer was closed");
        assertThat(reported).as("the heal is asked for").hasSize(1);
    }

    @Test
    void anIndexAnotherProcessHoldsIsRefusedNeverReplaced() throws Exception {
        index.upsert(exp("K1", "ABC", "kept words", "kept", X));
        index.commit();
        // This index is open (its write lock held), as an older CHL without chl.lock running on the directory would hold it.
        try (var listing = java.nio.file.Files.list(root)) {
            java.util.List<java.nio.file.Path> before = listing.sorted().toList();
            assertThatThrownBy(() -> LuceneIndex.open(root, MODEL, DIM)).isInstanceOf(IndexInUseException.class)
                    .hasMessageContaining("another process");
            try (var after = java.nio.file.Files.list(root)) {
                assertThat(after.sorted().toList()).as("nothing created or deleted").isEqualTo(before);
            }
        }
        assertThat(lexicalAfterRefresh("kept")).containsExactly("K1");
    }

    private List<String> lexicalAfterRefresh(String words) {
        index.refresh();
        return lexical(words);
    }

    @Test
    void aFailureThatIsNotDamageIsNotReportedAsDamage() {
        List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        index.onDamage(reported::add);
        index.upsert(exp("E1", "ABC", "alpha", "alpha", X));
        index.refresh();

        assertThatThrownBy(() -> index.vector(new float[] {1, 0}, Filter.NONE, 5)).isNotInstanceOf(IndexDamagedException.class);
        assertThat(reported).isEmpty();
        assertThat(index.damage()).isNull();
    }

    private Path liveGeneration() throws IOException {
        return root.resolve(Files.readString(root.resolve("CURRENT")).strip());
    }

    static Path largestDataFile(Path generation) throws IOException {
        try (Stream<Path> files = Files.list(generation)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("segments") && !f.getFileName().toString().equals("write.lock"))
                    .max(java.util.Comparator.comparingLong(LuceneIndexTest::size)).orElseThrow();
        }
    }

    /** Flips one byte in place (no truncation: the file may be mapped by a reader). */
    static void flipByteInTheMiddle(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            long at = ch.size() / 2;
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5A));
            b.rewind();
            ch.write(b, at);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
