package dev.lasermesh.core.eval.forward;

import dev.lasermesh.core.model.ConfigFile;
import dev.lasermesh.core.model.ModelConfigException;
import dev.lasermesh.core.model.family.Architecture;
import dev.lasermesh.core.model.family.Dimensions;
import dev.lasermesh.core.model.family.ModelFamilies;
import java.nio.file.Path;

/**
 * What the BERT encoder forward pass reads from {@code config.json} ({@code BertConfig}), with the
 * fields it cannot honour refused: only {@code model_type bert} (RoBERTa numbers positions from
 * padding_idx + 1), the exact GELU ({@code hidden_act gelu}), absolute position embeddings.
 *
 * @param source        config.json, for messages
 * @param hiddenSize    hidden_size
 * @param heads         num_attention_heads
 * @param intermediate  intermediate_size
 * @param layers        num_hidden_layers
 * @param maxPositions  max_position_embeddings: the longest sequence the model can read
 * @param layerNormEps  layer_norm_eps (BertConfig's default 1e-12 when absent)
 */
public record EncoderConfig(Path source, int hiddenSize, int heads, int intermediate, int layers, int maxPositions,
                            double layerNormEps) {

    private static final double DEFAULT_LAYER_NORM_EPS = 1e-12;

    /**
     * The encoder's config.
     *
     * @throws ModelConfigException naming config.json and the field that the forward pass cannot run
     */
    public static EncoderConfig of(ConfigFile file) {
        Architecture architecture = ModelFamilies.BERT.architecture(file);
        String type = file.modelType().orElse("bert");
        if (!type.equals("bert")) {
            throw new ModelConfigException(file.source() + ": model_type \"" + type + "\" has no encoder forward pass"
                    + " in Lasermesh (only model_type bert; RoBERTa and XLM-R number positions differently)");
        }
        String act = file.has("hidden_act") ? file.string("hidden_act") : "gelu";
        if (!act.equals("gelu")) {
            throw new ModelConfigException(file.source() + ": hidden_act \"" + act + "\" is not supported by the"
                    + " encoder forward pass (only gelu, the exact erf GELU of BERT)");
        }
        if (file.has("position_embedding_type") && !file.string("position_embedding_type").equals("absolute")) {
            throw new ModelConfigException(file.source() + ": position_embedding_type \""
                    + file.string("position_embedding_type") + "\" is not supported (only absolute)");
        }
        Dimensions d = architecture.dimensions();
        double eps = file.has("layer_norm_eps") ? file.positiveDouble("layer_norm_eps") : DEFAULT_LAYER_NORM_EPS;
        return new EncoderConfig(file.source(), d.intValue("hidden_size"), d.intValue("num_attention_heads"),
                d.intValue("intermediate_size"), architecture.layers(), d.intValue("max_position_embeddings"), eps);
    }

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / heads;
    }
}
