package dev.chl.embed;

import java.util.List;

/** Turns text into unit-length vectors with one sentence-embedding model that runs in-process. */
public interface Embedder {
    /** A stable id of the model; recorded with every vector, so a change of model means a rebuild. */
    String modelId();

    int dimension();

    /** Embeds a text to be stored (an entry). */
    float[] embedDocument(String text);

    /** Embeds several texts to be stored; same order as the input. */
    List<float[]> embedDocuments(List<String> texts);

    /** Embeds a search query (some models want queries phrased differently from documents). */
    float[] embedQuery(String text);
}
