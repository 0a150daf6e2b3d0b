package dev.lasermesh.core.eval.task;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.JsonSyntax;
import dev.lasermesh.core.model.CompanionFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a sentence-transformers folder turns the last hidden state into one vector (Reimers &amp; Gurevych
 * 2019, "Sentence-BERT", §3): the {@code Pooling} module of {@code modules.json} with its
 * {@code config.json} (mean over the tokens or the [CLS] token), then an L2 normalisation when a
 * {@code Normalize} module follows. A folder without {@code modules.json} is pooled as
 * sentence-transformers pools a plain transformers model: mean over the tokens, not normalised.
 *
 * @param mode      mean or CLS pooling
 * @param normalize whether the pooled vector is divided by its L2 norm
 */
public record SentencePooling(Mode mode, boolean normalize) {

    /** The pooling modes the encoder implements. */
    public enum Mode { MEAN, CLS }

    private static final String TRANSFORMER = "sentence_transformers.models.Transformer";
    private static final String POOLING = "sentence_transformers.models.Pooling";
    private static final String NORMALIZE = "sentence_transformers.models.Normalize";
    private static final List<String> OTHER_POOLING_MODES = List.of("pooling_mode_max_tokens",
            "pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken");

    /**
     * The pooling of a model folder.
     *
     * @throws InvalidInputException naming the file and the module or field when modules.json lists a
     *                               module or a pooling mode the encoder does not implement
     */
    public static SentencePooling of(Path folder) {
        Path modulesFile = folder.resolve(CompanionFiles.SENTENCE_TRANSFORMERS_MODULES);
        if (!Files.isRegularFile(modulesFile)) {
            return new SentencePooling(Mode.MEAN, false);
        }
        JsonNode modules = read(modulesFile);
        Mode mode = null;
        boolean normalize = false;
        for (JsonNode module : modules) {
            String type = module.path("type").asText("");
            switch (type) {
                case TRANSFORMER -> { }
                case POOLING -> mode = mode(folder.resolve(module.path("path").asText("")).resolve("config.json"));
                case NORMALIZE -> normalize = true;
                default -> throw new InvalidInputException(modulesFile + ": module type \"" + type
                        + "\" is not supported by the encoder (only Transformer, Pooling and Normalize)");
            }
        }
        if (!modules.isArray() || mode == null) {
            throw new InvalidInputException(modulesFile + ": no sentence_transformers.models.Pooling module listed");
        }
        return new SentencePooling(mode, normalize);
    }

    private static Mode mode(Path config) {
        JsonNode c = read(config);
        for (String other : OTHER_POOLING_MODES) {
            if (c.path(other).asBoolean(false)) {
                throw new InvalidInputException(config + ": " + other + " is not supported by the encoder"
                        + " (only pooling_mode_mean_tokens or pooling_mode_cls_token)");
            }
        }
        boolean mean = c.path("pooling_mode_mean_tokens").asBoolean(false);
        boolean cls = c.path("pooling_mode_cls_token").asBoolean(false);
        if (mean == cls) {
            throw new InvalidInputException(config + ": exactly one of pooling_mode_mean_tokens and"
                    + " pooling_mode_cls_token must be true");
        }
        return mean ? Mode.MEAN : Mode.CLS;
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": file not found (named by "
                    + CompanionFiles.SENTENCE_TRANSFORMERS_MODULES + ")");
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (JacksonException e) {
            throw new InvalidInputException(file + ": not valid JSON (" + JsonSyntax.problem(e) + ")");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The sentence vector of the rows {@code first .. first+n−1} of a [tokens × hidden] state, in float64:
     * mean (or the first row), then divided by its L2 norm when the folder normalises.
     */
    public double[] pool(float[] hidden, int first, int n, int hiddenSize) {
        double[] v = new double[hiddenSize];
        int rows = mode == Mode.MEAN ? n : 1;
        for (int r = 0; r < rows; r++) {
            int base = (first + r) * hiddenSize;
            for (int i = 0; i < hiddenSize; i++) {
                v[i] += hidden[base + i];
            }
        }
        double norm = 0;
        for (int i = 0; i < hiddenSize; i++) {
            v[i] /= rows;
            norm += v[i] * v[i];
        }
        if (normalize) {
            double scale = 1.0 / Math.max(Math.sqrt(norm), 1e-12);
            for (int i = 0; i < hiddenSize; i++) {
                v[i] *= scale;
            }
        }
        return v;
    }
}
