package dev.chl.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.Term;

/**
 * A new index generation being filled from the database. {@link #finish} swaps it in; {@link #close} without
 * finishing throws it away and leaves the live index exactly as it was.
 */
public final class Rebuild implements AutoCloseable {
    private final LuceneIndex index;
    private final Generation generation;
    // Changes made to the live index while this rebuild runs; guarded by the index's monitor.
    private final List<Map.Entry<String, IndexDocument>> changesMeanwhile = new ArrayList<>();
    private boolean finished;
    private long added;

    Rebuild(LuceneIndex index, Generation generation) {
        this.index = index;
        this.generation = generation;
    }

    void record(String id, IndexDocument docOrNullForDelete) {
        changesMeanwhile.add(new AbstractMap.SimpleEntry<>(id, docOrNullForDelete));
    }

    public void add(IndexDocument doc) {
        try {
            generation.writer.updateDocument(new Term(LuceneIndex.ID, doc.id()), LuceneIndex.toDocument(doc));
            added++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long added() {
        return added;
    }

    /** Replays what changed meanwhile, commits, and makes this generation the live one. */
    public void finish() {
        try {
            index.swapIn(generation, changesMeanwhile, this);
            finished = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (finished) {
            return;
        }
        index.endRebuild(this);
        try {
            generation.close();
            LuceneIndex.deleteTree(generation.path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
