package dev.lasermesh.core.model;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.tensor.TensorFormatException;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.core.tensor.TensorSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The weight matrices of a model, addressed by (layer, module) for a known architecture — never by
 * matching substrings of tensor names — or by name for a file of unknown architecture, where every
 * 2-D tensor counts as a matrix.
 *
 * <p>For Llama, Mistral and Qwen2 (same tensor names, transformers' {@code modeling_llama.py},
 * {@code modeling_mistral.py}, {@code modeling_qwen2.py}) every matrix the config implies must be
 * present with the implied shape. With {@code tie_word_embeddings} the output projection is the
 * embedding matrix (transformers ties them after loading, so a stored {@code lm_head.weight} is not
 * used either): it is reported as tied and not listed as a separate matrix.
 */
public final class MatrixCatalogue {

    /** {@code model_type} values whose matrices this catalogue knows. */
    public static final List<String> SUPPORTED_MODEL_TYPES = List.of("llama", "mistral", "qwen2");

    private final String description;
    private final int numLayers;
    private final boolean architectureKnown;
    private final boolean lmHeadTied;
    private final Map<String, MatrixRef> byName;

    private MatrixCatalogue(String description, int numLayers, boolean architectureKnown, boolean lmHeadTied,
                            List<MatrixRef> matrices) {
        this.description = description;
        this.numLayers = numLayers;
        this.architectureKnown = architectureKnown;
        this.lmHeadTied = lmHeadTied;
        Map<String, MatrixRef> map = new LinkedHashMap<>();
        matrices.forEach(m -> map.put(m.name(), m));
        this.byName = map;
    }

    /**
     * The catalogue of a Llama-family model: embed, then per layer q, k, v, o, gate, up, down, then
     * lm_head unless tied.
     *
     * @throws ModelConfigException  when {@code model_type} is not supported (naming it and the supported ones)
     * @throws TensorFormatException naming the tensor when one is missing or has another shape than the config implies
     */
    public static MatrixCatalogue forArchitecture(ModelConfig config, TensorSource source) {
        if (!SUPPORTED_MODEL_TYPES.contains(config.modelType())) {
            throw new ModelConfigException(config.source() + ": model_type \"" + config.modelType()
                    + "\" is not supported (supported: " + String.join(", ", SUPPORTED_MODEL_TYPES) + ")");
        }
        List<MatrixRef> matrices = new ArrayList<>();
        matrices.add(expected(config, source, ModuleType.EMBED, -1));
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            for (ModuleType module : ModuleType.layerModules()) {
                matrices.add(expected(config, source, module, layer));
            }
        }
        boolean tied = config.tieWordEmbeddings();
        if (!tied) {
            matrices.add(expected(config, source, ModuleType.LM_HEAD, -1));
        }
        return new MatrixCatalogue(source.description(), config.numHiddenLayers(), true, tied, matrices);
    }

    private static MatrixRef expected(ModelConfig config, TensorSource source, ModuleType module, int layer) {
        String name = module.tensorName(layer);
        long[] shape = module.expectedShape(config);
        if (!source.contains(name) && source.contains(RankMap.factorNames(name).get(0))) {
            throw new TensorFormatException(source.description() + ": tensor \"" + name + "\" is stored as two factors "
                    + "(a reduce --factored output); analyze and reduce read dense matrices: use the original model or "
                    + "a dense reduction");
        }
        if (!source.contains(name)) {
            throw new TensorFormatException(source.description() + ": tensor \"" + name + "\" is missing (expected "
                    + Arrays.toString(shape) + " from " + config.source() + (module == ModuleType.LM_HEAD
                    ? ", which has tie_word_embeddings false" : "") + ")");
        }
        TensorInfo info = source.info(name);
        if (!Arrays.equals(shape, info.shape())) {
            throw new TensorFormatException(source.description() + ": tensor \"" + name + "\" has shape "
                    + Arrays.toString(info.shape()) + " but " + config.source() + " implies " + Arrays.toString(shape));
        }
        return new MatrixRef(name, layer, module, info.rows(), info.cols(), info.dtype());
    }

    /** The catalogue of a file of unknown architecture: every 2-D tensor, in file order. */
    public static MatrixCatalogue forTensors(TensorSource source) {
        List<MatrixRef> matrices = source.tensors().stream().filter(t -> t.rank() == 2)
                .map(t -> new MatrixRef(t.name(), -1, ModuleType.OTHER, t.rows(), t.cols(), t.dtype())).toList();
        return new MatrixCatalogue(source.description(), 0, false, false, matrices);
    }

    /** Whether matrices are addressed by (layer, module); false for a file without a known architecture. */
    public boolean architectureKnown() {
        return architectureKnown;
    }

    /** Number of decoder layers (0 when the architecture is unknown). */
    public int numLayers() {
        return numLayers;
    }

    /** Whether the output projection is the embedding matrix (no separate lm_head matrix). */
    public boolean lmHeadTied() {
        return lmHeadTied;
    }

    /** Every matrix, in catalogue order. */
    public List<MatrixRef> matrices() {
        return List.copyOf(byName.values());
    }

    /**
     * The matrix of a module in a layer (layer ignored for embed and lm_head).
     *
     * @throws InvalidInputException when the architecture is unknown, the layer is out of range or
     *                               lm_head is tied to the embeddings
     */
    public MatrixRef get(int layer, ModuleType module) {
        requireArchitecture();
        if (module == ModuleType.OTHER) {
            throw new InvalidInputException(description + ": module \"other\" has no place in a known architecture");
        }
        if (module == ModuleType.LM_HEAD && lmHeadTied) {
            throw new InvalidInputException(description + ": lm_head is tied to " + ModuleType.EMBED.tensorName(-1)
                    + " (tie_word_embeddings); select embed instead");
        }
        if (module.perLayer() && (layer < 0 || layer >= numLayers)) {
            throw new InvalidInputException(description + ": layer " + layer + " is out of range: the model has "
                    + numLayers + " layers (0-" + (numLayers - 1) + ")");
        }
        return byName.get(module.tensorName(layer));
    }

    /** Whether {@code name} is one of the matrices. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * A matrix by tensor name.
     *
     * @throws InvalidInputException naming the model when no matrix has this name
     */
    public MatrixRef byName(String name) {
        MatrixRef ref = byName.get(name);
        if (ref == null) {
            throw new InvalidInputException(description + ": \"" + name + "\" is not a weight matrix of this model"
                    + (lmHeadTied && name.equals(ModuleType.LM_HEAD.tensorName(-1))
                    ? " (lm_head is tied to " + ModuleType.EMBED.tensorName(-1) + ")" : ""));
        }
        return ref;
    }

    /**
     * The default selection: the seven per-layer matrices of every layer (embeddings and lm_head are
     * left out: LASER reduces the decoder blocks), or every matrix when the architecture is unknown.
     */
    public List<MatrixRef> defaultSelection() {
        if (!architectureKnown) {
            return matrices();
        }
        return select(LayerSet.all(numLayers), ModuleType.layerModules());
    }

    /**
     * The matrices of the given modules in the given layers, in catalogue order; embed and lm_head,
     * when asked for, are included whatever the layers.
     */
    public List<MatrixRef> select(LayerSet layers, Set<ModuleType> modules) {
        requireArchitecture();
        modules.forEach(m -> {
            if (!m.perLayer()) {
                get(-1, m);
            }
        });
        return byName.values().stream().filter(m -> modules.contains(m.module())
                && (!m.module().perLayer() || layers.contains(m.layer()))).toList();
    }

    /**
     * Parses and applies a user selection; a null or blank part means its default (all layers; the
     * seven per-layer modules).
     */
    public List<MatrixRef> select(String layers, String modules) {
        requireArchitecture();
        LayerSet layerSet = layers == null || layers.isBlank() ? LayerSet.all(numLayers)
                : LayerSet.parse(layers, numLayers);
        Set<ModuleType> moduleSet = modules == null || modules.isBlank() ? ModuleType.layerModules()
                : ModuleType.parseList(modules);
        return select(layerSet, moduleSet);
    }

    /** The named matrices, in the order given. */
    public List<MatrixRef> selectByName(Collection<String> names) {
        return names.stream().map(this::byName).toList();
    }

    /** The embedding matrix that serves as lm_head, when tied. */
    public Optional<MatrixRef> lmHeadTiedTo() {
        return lmHeadTied ? Optional.of(byName.get(ModuleType.EMBED.tensorName(-1))) : Optional.empty();
    }

    private void requireArchitecture() {
        if (!architectureKnown) {
            throw new InvalidInputException(description + ": the architecture is unknown (no config.json), so "
                    + "matrices cannot be chosen by layer and module; select them by tensor name");
        }
    }
}
