package dev.chl.embed;

import dev.chl.common.ValidationException;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.util.List;
import java.util.function.Supplier;

/**
 * The models that ship inside Maven artifacts (ONNX weights and tokenizer in the jar): nothing is downloaded. The
 * artifacts' own model classes are not used: they load a session with ONNX Runtime's defaults (see
 * {@link OnnxSessionModel}).
 */
public final class EmbeddingModels {
    public static final String MINILM = "all-minilm-l6-v2-q";
    public static final String BGE_SMALL = "bge-small-en-v1.5-q";
    /** The default, chosen on the relevance benchmark (BENCHMARKS.md). */
    public static final String DEFAULT = MINILM;

    private EmbeddingModels() {}

    public static List<String> available() {
        return List.of(MINILM, BGE_SMALL);
    }

    /** Loads a model by id (about a second; call once and share the result). */
    public static Embedder load(String modelId) {
        return switch (modelId) {
            case MINILM -> new OnnxEmbedder(MINILM, 384, "",
                    load(() -> new OnnxSessionModel("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", PoolingMode.MEAN, 384)));
            // BGE retrieves best when queries carry this instruction and passages do not (model card).
            case BGE_SMALL -> new OnnxEmbedder(BGE_SMALL, 384, "Represent this sentence for searching relevant passages: ",
                    load(() -> new OnnxSessionModel("bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json", PoolingMode.CLS, 384)));
            default -> throw new ValidationException("model", "unknown embedding model '" + modelId + "'; use one of "
                    + String.join(", ", available()));
        };
    }

    private static EmbeddingModel load(Supplier<EmbeddingModel> constructor) {
        // DJL, under the ONNX runtime, phones home at start-up unless told not to.
        System.setProperty("OPT_OUT_TRACKING", "true");
        return constructor.get();
    }
}
