package dev.lasermesh.core.model.family;

import dev.lasermesh.core.model.ConfigFile;
import dev.lasermesh.core.model.ModelConfigException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The registry of model families. A folder's family is chosen from its config.json: by
 * {@code model_type}, or, when that is absent or names no family, by its {@code architectures}.
 */
public final class ModelFamilies {

    /** Llama, Mistral, Qwen2: the decoders Lasermesh evaluates by perplexity. */
    public static final ModelFamily LLAMA = LlamaFamily.FAMILY;
    /** BERT / RoBERTa / XLM-R encoders and sentence-transformers folders. */
    public static final ModelFamily BERT = BertFamily.FAMILY;
    /** Mixtral mixture-of-experts decoders (catalogue only). */
    public static final ModelFamily MIXTRAL = MixtralFamily.FAMILY;
    /** Phi-3 decoders with fused projections (catalogue only). */
    public static final ModelFamily PHI3 = Phi3Family.FAMILY;
    /** Gemma 2 decoders (catalogue only). */
    public static final ModelFamily GEMMA2 = Gemma2Family.FAMILY;

    private static final List<ModelFamily> ALL = List.of(LLAMA, BERT, MIXTRAL, PHI3, GEMMA2);

    private ModelFamilies() {
    }

    /** Every family, in registry order. */
    public static List<ModelFamily> all() {
        return ALL;
    }

    /** The family of a config.json, empty when it is none of the registry's. */
    public static Optional<ModelFamily> of(ConfigFile config) {
        Optional<ModelFamily> byType = config.modelType()
                .flatMap(type -> ALL.stream().filter(f -> f.modelTypes().contains(type)).findFirst());
        if (byType.isPresent()) {
            return byType;
        }
        return config.architectures().stream()
                .flatMap(a -> ALL.stream().filter(f -> f.architectures().contains(a)))
                .findFirst();
    }

    /** The families Lasermesh can evaluate. */
    public static List<ModelFamily> evaluable() {
        return ALL.stream().filter(ModelFamily::evaluable).toList();
    }

    /**
     * Why a config.json's model cannot be evaluated: its family is unknown or has no forward pass;
     * the message names the model_type and the families that can be evaluated.
     */
    public static ModelConfigException notEvaluable(ConfigFile config) {
        String type = "model_type " + config.modelType().map(t -> "\"" + t + "\"").orElse("(none)");
        String what = of(config).map(f -> type + " (family " + f.name() + ") has no forward pass in Lasermesh")
                .orElseGet(() -> type + " is not a family Lasermesh knows");
        return new ModelConfigException(config.source() + ": " + what + "; evaluation works for "
                + evaluable().stream().map(ModelFamily::label).collect(Collectors.joining("; ")));
    }

    /** Whether a family is scored by perplexity: its forward pass is the decoder's. */
    public static boolean scoredByPerplexity(ModelFamily family) {
        return family.evaluation().map(e -> e.forwardPass() == EvaluationSupport.ForwardPass.DECODER).orElse(false);
    }

    /**
     * Why a config.json's model has no perplexity: an encoder is scored by a task metric instead, any
     * other model as {@link #notEvaluable} says; the message names the families perplexity works for.
     */
    public static ModelConfigException notScoredByPerplexity(ConfigFile config) {
        Optional<ModelFamily> family = of(config).filter(ModelFamily::evaluable);
        if (family.isEmpty()) {
            return notEvaluable(config);
        }
        String type = "model_type " + config.modelType().map(t -> "\"" + t + "\"").orElse("(none)");
        return new ModelConfigException(config.source() + ": " + type + " (family " + family.get().name()
                + ") has no forward pass for perplexity: it is an encoder, scored by "
                + family.get().evaluation().orElseThrow().defaultMetric().cliName()
                + " on a task folder (--task DIR); perplexity evaluation works for " + ALL.stream()
                .filter(ModelFamilies::scoredByPerplexity).map(ModelFamily::label).collect(Collectors.joining("; ")));
    }

    /** The note of a folder whose family is unknown: its matrices are every 2-D tensor. */
    public static String unknownFamilyNote(ConfigFile config) {
        return config.source() + ": model_type " + config.modelType().map(t -> "\"" + t + "\"").orElse("(none)")
                + " is not a family Lasermesh knows (" + ALL.stream().map(ModelFamily::name)
                .collect(Collectors.joining(", ")) + "): every 2-D tensor is a matrix";
    }
}
