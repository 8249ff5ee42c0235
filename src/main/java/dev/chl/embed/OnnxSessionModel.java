package dev.chl.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A langchain4j in-process BERT model — ONNX weights and tokenizer read from its Maven artifact on the classpath —
 * on a session tuned for a server: each call runs on one thread, without spin-waiting. ONNX Runtime's default spreads
 * every call over all cores and spins between its steps, so two calls at once (a search's whole query and its word
 * windows, a search beside a worker's batch) fight over the same two cores; one thread per call lets them run side
 * by side. Batches still use every core: langchain4j embeds a batch's texts in parallel.
 */
final class OnnxSessionModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    OnnxSessionModel(String modelResource, String tokenizerResource, PoolingMode pooling, int dimension) {
        super(null);
        this.dimension = dimension;
        try (InputStream model = resource(modelResource); InputStream tokenizer = resource(tokenizerResource);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            this.encoder = new OnnxBertBiEncoder(environment, environment.createSession(model.readAllBytes(), options), tokenizer, pooling);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the embedding model " + modelResource + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = OnnxSessionModel.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath: its langchain4j embeddings artifact is missing");
        }
        return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }
}
