package dev.lasermesh.core.model.family;

import dev.lasermesh.core.model.ConfigFile;
import dev.lasermesh.core.model.ModelConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT encoders (transformers' {@code modeling_bert.py}: {@code BertModel}, also as the first module of
 * a sentence-transformers folder) and RoBERTa / XLM-RoBERTa, whose tensors have the same names under
 * another prefix ({@code bert.}, {@code roberta.} in the task-head checkpoints, none in the bare
 * models). The six matrices of a layer are {@code q, k, v} = {@code attention.self.query|key|value},
 * {@code o} = {@code attention.output.dense}, {@code up} = {@code intermediate.dense} and {@code down}
 * = {@code output.dense}, the FFN output (DESIGN §7.1; the laserRMT-encoder fork's substring match
 * took {@code attention.output.dense} twice instead).
 */
final class BertFamily {

    private static final String LAYER = "encoder.layer.{layer}.";

    static final ModelFamily FAMILY = ModelFamily.builder("bert",
                    "BERT, RoBERTa and XLM-RoBERTa encoders; sentence-transformers folders")
            .modelTypes("bert", "roberta", "xlm-roberta")
            .architectures("BertModel", "BertForMaskedLM", "BertForPreTraining", "RobertaModel",
                    "RobertaForMaskedLM", "XLMRobertaModel", "XLMRobertaForMaskedLM")
            .prefixes("", "bert.", "roberta.")
            .dimensions(BertFamily::dimensions)
            .module(ModuleSpec.of(TensorSpec.model("embed", "embeddings.word_embeddings.weight",
                    "vocab_size", "hidden_size"), "word_embeddings"))
            .module(ModuleSpec.of(TensorSpec.model("pos_embed", "embeddings.position_embeddings.weight",
                    "max_position_embeddings", "hidden_size"), "position_embeddings"))
            .module(ModuleSpec.of(TensorSpec.model("type_embed", "embeddings.token_type_embeddings.weight",
                    "type_vocab_size", "hidden_size"), "token_type_embeddings"))
            .module(matrix("q", "attention.self.query", "hidden_size", "hidden_size", "query"))
            .module(matrix("k", "attention.self.key", "hidden_size", "hidden_size", "key"))
            .module(matrix("v", "attention.self.value", "hidden_size", "hidden_size", "value"))
            .module(matrix("o", "attention.output.dense", "hidden_size", "hidden_size"))
            .module(matrix("up", "intermediate.dense", "intermediate_size", "hidden_size", "intermediate"))
            .module(matrix("down", "output.dense", "hidden_size", "intermediate_size"))
            .module(ModuleSpec.optional(TensorSpec.model("pooler", "pooler.dense.weight", "hidden_size", "hidden_size")))
            .tensor(TensorSpec.model("embed_norm.weight", "embeddings.LayerNorm.weight", "hidden_size"))
            .tensor(TensorSpec.model("embed_norm.bias", "embeddings.LayerNorm.bias", "hidden_size"))
            .tensor(bias("q", "attention.self.query", "hidden_size"))
            .tensor(bias("k", "attention.self.key", "hidden_size"))
            .tensor(bias("v", "attention.self.value", "hidden_size"))
            .tensor(bias("o", "attention.output.dense", "hidden_size"))
            .tensor(TensorSpec.layer("attention_norm.weight", LAYER + "attention.output.LayerNorm.weight", "hidden_size"))
            .tensor(TensorSpec.layer("attention_norm.bias", LAYER + "attention.output.LayerNorm.bias", "hidden_size"))
            .tensor(bias("up", "intermediate.dense", "intermediate_size"))
            .tensor(bias("down", "output.dense", "hidden_size"))
            .tensor(TensorSpec.layer("output_norm.weight", LAYER + "output.LayerNorm.weight", "hidden_size"))
            .tensor(TensorSpec.layer("output_norm.bias", LAYER + "output.LayerNorm.bias", "hidden_size"))
            .tensor(TensorSpec.model("pooler.bias", "pooler.dense.bias", "hidden_size"))
            .defaultModules("q", "k", "v", "o", "up", "down")
            .searchOrder("q", "k", "v", "o", "up", "down")
            .evaluation(new EvaluationSupport(EvaluationSupport.ForwardPass.ENCODER,
                    EvaluationSupport.Metric.KNN_ACCURACY))
            .build();

    private BertFamily() {
    }

    /** A matrix of every layer; users may also type its Hugging Face path ({@code attention.output.dense}). */
    private static ModuleSpec matrix(String shortName, String path, String rows, String cols, String... aliases) {
        List<String> names = new ArrayList<>(List.of(aliases));
        names.add(path);
        return new ModuleSpec(TensorSpec.layer(shortName, LAYER + path + ".weight", rows, cols), names, false);
    }

    private static TensorSpec bias(String module, String path, String size) {
        return TensorSpec.layer(module + ".bias", LAYER + path + ".bias", size);
    }

    /** BertConfig's sizes; the heads must divide hidden_size (BertSelfAttention refuses otherwise). */
    static Dimensions dimensions(ConfigFile config) {
        Dimensions.Builder d = Dimensions.from(config);
        int hidden = d.field("hidden_size");
        int heads = d.field("num_attention_heads");
        if (hidden % heads != 0) {
            throw new ModelConfigException(config.source() + ": hidden_size " + hidden
                    + " is not a multiple of num_attention_heads " + heads);
        }
        d.field("intermediate_size");
        d.field("vocab_size");
        d.field("max_position_embeddings");
        d.field("type_vocab_size");
        d.field(Architecture.LAYERS);
        return d.build();
    }
}
