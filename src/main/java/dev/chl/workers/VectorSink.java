package dev.chl.workers;

import dev.chl.model.Entry;
import java.util.List;

/** Where freshly embedded entries go once their vectors are stored: the search index. */
@FunctionalInterface
public interface VectorSink {
    void indexEmbedded(List<Embedded> batch);

    record Embedded(Entry entry, float[] vector) {}
}
