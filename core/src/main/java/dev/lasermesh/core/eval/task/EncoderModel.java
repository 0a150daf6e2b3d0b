package dev.lasermesh.core.eval.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.eval.forward.EncoderWeights;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.model.ModelConfigException;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.family.EvaluationSupport;
import dev.lasermesh.core.model.family.ModelFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A sentence-encoder folder opened for embedding (DESIGN §7.1): the bound BERT weights, the folder's
 * {@code tokenizer.json} with {@code [CLS] … [SEP]} and truncation, and its pooling. Texts are cut to
 * {@code max_seq_length} of {@code sentence_bert_config.json} — 128 when the folder does not say —
 * and never beyond the model's positions; a long text is truncated, never an error.
 */
public final class EncoderModel implements AutoCloseable {

    /** sentence-transformers' file with {@code max_seq_length}. */
    public static final String SENTENCE_CONFIG = "sentence_bert_config.json";
    /** The truncation DESIGN §7.1 sets when the folder gives none. */
    public static final int DEFAULT_MAX_TOKENS = 128;

    private final ModelSource source;
    private final EncoderWeights weights;
    private final TextTokenizer tokenizer;
    private final SentencePooling pooling;
    private final int maxTokens;

    private EncoderModel(ModelSource source, EncoderWeights weights, TextTokenizer tokenizer, SentencePooling pooling,
                         int maxTokens) {
        this.source = source;
        this.weights = weights;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.maxTokens = maxTokens;
    }

    /**
     * Opens the encoder of an opened model (which stays open, owned by the caller).
     *
     * @throws dev.lasermesh.core.InvalidInputException naming the file when the model is no BERT encoder, or its tokenizer
     *                               or sentence-transformers files are unusable
     */
    public static EncoderModel of(ModelSource source) {
        EncoderWeights weights = EncoderWeights.bind(source);
        Path folder = source.config().orElseThrow().source().toAbsolutePath().getParent();
        int maxTokens = Math.min(maxTokens(folder), weights.config().maxPositions());
        SentencePooling pooling = SentencePooling.of(folder);
        return new EncoderModel(source, weights, TextTokenizer.loadForSentences(folder, maxTokens), pooling, maxTokens);
    }

    /** Whether an opened model is an encoder (its family's forward pass is the encoder's). */
    public static boolean isEncoder(ModelSource source) {
        return source.catalogue().family().flatMap(ModelFamily::evaluation)
                .map(e -> e.forwardPass() == EvaluationSupport.ForwardPass.ENCODER)
                .orElse(false);
    }

    private static int maxTokens(Path folder) {
        Path file = folder.resolve(SENTENCE_CONFIG);
        if (!Files.isRegularFile(file)) {
            return DEFAULT_MAX_TOKENS;
        }
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile()).get("max_seq_length");
            if (n == null || n.isNull()) {
                return DEFAULT_MAX_TOKENS;
            }
            if (!n.isIntegralNumber() || n.asInt() < 2) {
                throw new ModelConfigException(file + ": field \"max_seq_length\" is not an integer >= 2");
            }
            return n.asInt();
        } catch (IOException e) {
            throw new ModelConfigException(file + ": not valid JSON");
        }
    }

    /** Token ids of each text, special tokens added, truncated. */
    public List<int[]> tokenize(List<String> texts) {
        return texts.stream().map(tokenizer::encode).toList();
    }

    public EncoderWeights weights() {
        return weights;
    }

    public SentencePooling pooling() {
        return pooling;
    }

    /** The longest token sequence a text becomes. */
    public int maxTokens() {
        return maxTokens;
    }

    public ModelSource source() {
        return source;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
