package dev.lasermesh.core.model;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.model.family.Architecture;
import dev.lasermesh.core.model.family.ModelFamily;
import dev.lasermesh.core.model.family.ModuleSpec;
import dev.lasermesh.core.model.family.Scope;
import dev.lasermesh.core.model.family.TiedHead;
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
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The weight matrices of a model, addressed by (layer, module[, expert]) for a known family — never
 * by matching substrings of tensor names — or by name for a model whose family is unknown, where
 * every 2-D tensor counts as a matrix.
 *
 * <p>For a known family every matrix its {@link Architecture} implies must be present with the implied
 * shape (optional modules, such as BERT's pooler, are checked when present). The tensor-name prefix
 * ({@code bert.}, {@code roberta.}, …) is the first of the family's prefixes under which the first
 * per-layer matrix exists. With a tied head ({@code tie_word_embeddings}) the output projection is
 * the embedding matrix (transformers ties them after loading, so a stored {@code lm_head.weight} is
 * not used either): it is reported as tied and not listed as a separate matrix.
 *
 * <p>Tensors of layers past the config's layer count are refused, naming them: the config and the
 * weights disagree, and whichever is wrong, going on would mislead — analysing the first layers only
 * would report and reduce a model the weights do not describe, and the evaluator would have to
 * ignore tensors. One rule for every command (analyze, reduce, eval, run).
 */
public final class MatrixCatalogue {

    /** How many of the extra layers' tensors a message names. */
    private static final int NAMED_EXTRA_TENSORS = 3;

    private final String description;
    private final Optional<Architecture> architecture;
    private final String prefix;
    private final Optional<String> note;
    private final Map<String, MatrixRef> byName;

    private MatrixCatalogue(String description, Optional<Architecture> architecture, String prefix,
                            Optional<String> note, List<MatrixRef> matrices) {
        this.description = description;
        this.architecture = architecture;
        this.prefix = prefix;
        this.note = note;
        Map<String, MatrixRef> map = new LinkedHashMap<>();
        matrices.forEach(m -> map.put(m.name(), m));
        this.byName = map;
    }

    /**
     * The catalogue of a model of a known family, in the family's catalogue order.
     *
     * @throws TensorFormatException naming the tensor when one is missing or has another shape than
     *                               config.json implies
     */
    public static MatrixCatalogue of(Architecture architecture, TensorSource source) {
        ModelFamily family = architecture.family();
        String prefix = prefixOf(family, source);
        rejectLayersBeyondConfig(architecture, source);
        List<MatrixRef> matrices = new ArrayList<>();
        List<ModuleSpec> modules = family.modules();
        int firstLayerModule = 0;
        while (firstLayerModule < modules.size() && !modules.get(firstLayerModule).perLayer()) {
            firstLayerModule++;
        }
        for (ModuleSpec m : modules.subList(0, firstLayerModule)) {
            addIfUsed(matrices, architecture, source, prefix, m, -1, -1);
        }
        for (int layer = 0; layer < architecture.layers(); layer++) {
            for (ModuleSpec m : modules) {
                if (m.scope() == Scope.LAYER) {
                    addIfUsed(matrices, architecture, source, prefix, m, layer, -1);
                }
            }
            for (int expert = 0; expert < architecture.experts(); expert++) {
                for (ModuleSpec m : modules) {
                    if (m.scope() == Scope.EXPERT) {
                        addIfUsed(matrices, architecture, source, prefix, m, layer, expert);
                    }
                }
            }
        }
        for (ModuleSpec m : modules.subList(firstLayerModule, modules.size())) {
            if (!m.perLayer()) {
                addIfUsed(matrices, architecture, source, prefix, m, -1, -1);
            }
        }
        return new MatrixCatalogue(source.description(), Optional.of(architecture), prefix, Optional.empty(), matrices);
    }

    /**
     * Refuses tensors of layers at or past the architecture's layer count: names of the form
     * {@code <prefix><layer pattern up to {layer}><digits>.} of any of the family's per-layer tensors.
     * The forward pass applies the same rule to folders it opens without a catalogue (factored ones).
     *
     * @throws TensorFormatException naming the count and the first such tensors
     */
    public static void rejectLayersBeyondConfig(Architecture architecture, TensorSource source) {
        ModelFamily family = architecture.family();
        String prefix = prefixOf(family, source);
        List<Pattern> layerTensors = Stream.concat(family.modules().stream().map(ModuleSpec::tensor),
                        family.tensors().stream())
                .filter(t -> t.scope() != Scope.MODEL)
                .map(t -> prefix + t.pattern().substring(0, t.pattern().indexOf("{layer}")))
                .distinct()
                .map(head -> Pattern.compile(Pattern.quote(head) + "(\\d+)\\..*"))
                .toList();
        List<String> extra = source.tensors().stream().map(TensorInfo::name).filter(name -> layerTensors.stream()
                .map(p -> p.matcher(name)).anyMatch(m -> m.matches()
                        && (m.group(1).length() > 9 || Integer.parseInt(m.group(1)) >= architecture.layers())))
                .toList();
        if (!extra.isEmpty()) {
            throw new TensorFormatException(source.description() + ": " + extra.size() + " tensors belong to layers"
                    + " past " + Architecture.LAYERS + "=" + architecture.layers() + " of " + architecture.config().source()
                    + " ("
                    + String.join(", ", extra.subList(0, Math.min(NAMED_EXTRA_TENSORS, extra.size())))
                    + (extra.size() > NAMED_EXTRA_TENSORS ? ", ..." : "") + "); the config and the weights disagree");
        }
    }

    /** The first of the family's prefixes under which its first per-layer matrix exists (the first prefix if none). */
    private static String prefixOf(ModelFamily family, TensorSource source) {
        Optional<String> anchor = family.modules().stream().filter(m -> m.perLayer() && !m.optional())
                .findFirst().map(m -> m.tensor().name(0, 0));
        return family.prefixes().stream().filter(p -> anchor.map(a -> source.contains(p + a)).orElse(false))
                .findFirst().orElse(family.prefixes().getFirst());
    }

    private static void addIfUsed(List<MatrixRef> matrices, Architecture architecture, TensorSource source,
                                  String prefix, ModuleSpec module, int layer, int expert) {
        if (isTiedHead(architecture, module.shortName())) {
            return;
        }
        String name = prefix + module.tensor().name(layer, expert);
        long[] shape = architecture.shape(module.tensor());
        if (!source.contains(name) && source.contains(RankMap.factorNames(name).get(0))) {
            throw new TensorFormatException(source.description() + ": tensor \"" + name + "\" is stored as two factors "
                    + "(a reduce --factored output); analyze and reduce read dense matrices: use the original model or "
                    + "a dense reduction");
        }
        if (!source.contains(name)) {
            if (module.optional()) {
                return;
            }
            throw new TensorFormatException(source.description() + ": tensor \"" + name + "\" is missing (expected "
                    + Arrays.toString(shape) + " from " + architecture.config().source() + whyExpected(architecture,
                    module) + ")");
        }
        TensorInfo info = source.info(name);
        if (!Arrays.equals(shape, info.shape())) {
            throw new TensorFormatException(source.description() + ": tensor \"" + name + "\" has shape "
                    + Arrays.toString(info.shape()) + " but " + architecture.config().source() + " implies "
                    + Arrays.toString(shape) + " (" + architecture.derivation(module.tensor()) + ")");
        }
        matrices.add(new MatrixRef(name, layer, module.shortName(), expert, info.rows(), info.cols(), info.dtype()));
    }

    private static String whyExpected(Architecture architecture, ModuleSpec module) {
        Optional<TiedHead> tied = architecture.family().tiedHead();
        if (tied.isPresent() && tied.get().head().equals(module.shortName())) {
            return ", which has " + tied.get().configField() + " false";
        }
        List<String> prefixes = architecture.family().prefixes();
        return prefixes.size() > 1 ? "; also looked for the prefixes " + String.join(", ", prefixes.subList(1,
                prefixes.size())) : "";
    }

    private static boolean isTiedHead(Architecture architecture, String module) {
        return architecture.headTied() && architecture.family().tiedHead().map(t -> t.head().equals(module))
                .orElse(false);
    }

    /** The catalogue of a file without config.json: every 2-D tensor, in file order. */
    public static MatrixCatalogue forTensors(TensorSource source) {
        return forTensors(source, Optional.empty());
    }

    /**
     * The catalogue of a folder whose config.json names no known family: every 2-D tensor, in file
     * order, with a note that says why (see {@link #note()}).
     */
    public static MatrixCatalogue forTensors(TensorSource source, String note) {
        return forTensors(source, Optional.of(note));
    }

    private static MatrixCatalogue forTensors(TensorSource source, Optional<String> note) {
        List<MatrixRef> matrices = source.tensors().stream().filter(t -> t.rank() == 2)
                .map(t -> new MatrixRef(t.name(), -1, MatrixRef.OTHER, t.rows(), t.cols(), t.dtype())).toList();
        return new MatrixCatalogue(source.description(), Optional.empty(), "", note, matrices);
    }

    /** Whether matrices are addressed by (layer, module); false when the family is unknown. */
    public boolean architectureKnown() {
        return architecture.isPresent();
    }

    /** The family, when known. */
    public Optional<ModelFamily> family() {
        return architecture.map(Architecture::family);
    }

    /** Why a folder with config.json is treated as a bag of tensors (its family is unknown). */
    public Optional<String> note() {
        return note;
    }

    /** The prefix of the family's tensor names in this checkpoint ({@code ""}, {@code bert.}, …). */
    public String prefix() {
        return prefix;
    }

    /** Number of layers (0 when the family is unknown). */
    public int numLayers() {
        return architecture.map(Architecture::layers).orElse(0);
    }

    /** Whether the output projection is the embedding matrix (no separate lm_head matrix). */
    public boolean lmHeadTied() {
        return architecture.map(Architecture::headTied).orElse(false);
    }

    /** Every matrix, in catalogue order. */
    public List<MatrixRef> matrices() {
        return List.copyOf(byName.values());
    }

    /**
     * The matrix of a module that is model-wide (layer ignored) or per layer.
     *
     * @throws InvalidInputException when the family is unknown, the module is not the family's or is an
     *                               expert's, the layer is out of range, the module is a tied head, or
     *                               an optional module is absent
     */
    public MatrixRef get(int layer, String module) {
        return get(layer, module, -1);
    }

    /**
     * The matrix of a module in a layer, of an expert for expert modules (see {@link #get(int, String)}).
     *
     * @throws InvalidInputException also when the expert is out of range or given for a module that has none
     */
    public MatrixRef get(int layer, String module, int expert) {
        Architecture a = requireArchitecture();
        ModuleSpec spec = a.family().module(module);
        if (isTiedHead(a, module)) {
            TiedHead tied = a.family().tiedHead().orElseThrow();
            throw new InvalidInputException(description + ": " + module + " is tied to "
                    + prefix + a.family().module(tied.embedding()).tensor().name(-1) + " (" + tied.configField()
                    + "); select " + tied.embedding() + " instead");
        }
        if (spec.perLayer() && (layer < 0 || layer >= a.layers())) {
            throw new InvalidInputException(description + ": layer " + layer + " is out of range: the model has "
                    + a.layers() + " layers (0-" + (a.layers() - 1) + ")");
        }
        if ((spec.scope() == Scope.EXPERT) != (expert >= 0) || expert >= a.experts()) {
            throw new InvalidInputException(description + ": module " + module + (spec.scope() == Scope.EXPERT
                    ? " needs an expert in 0-" + (a.experts() - 1) + ", got " + expert : " has no experts"));
        }
        MatrixRef ref = byName.get(prefix + spec.tensor().name(layer, expert));
        if (ref == null) {
            throw new InvalidInputException(description + ": module " + module + " is not in this model");
        }
        return ref;
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
                    + tiedHeadHint(name));
        }
        return ref;
    }

    private String tiedHeadHint(String name) {
        return architecture.filter(Architecture::headTied).flatMap(a -> a.family().tiedHead().map(t -> {
            String head = prefix + a.family().module(t.head()).tensor().name(-1);
            String embedding = prefix + a.family().module(t.embedding()).tensor().name(-1);
            return name.equals(head) ? " (" + t.head() + " is tied to " + embedding + ")" : "";
        })).orElse("");
    }

    /**
     * The default selection: the family's default modules in every layer (embeddings and heads are
     * left out: LASER reduces the blocks), or every matrix when the family is unknown.
     */
    public List<MatrixRef> defaultSelection() {
        return architecture.map(a -> select(LayerSet.all(a.layers()), Set.copyOf(a.family().defaultModules())))
                .orElseGet(this::matrices);
    }

    /**
     * The matrices of the given modules (short names) in the given layers, in catalogue order;
     * model-wide modules, when asked for, are included whatever the layers.
     *
     * @throws InvalidInputException when a module is not the family's, or a tied head
     */
    public List<MatrixRef> select(LayerSet layers, Set<String> modules) {
        Architecture a = requireArchitecture();
        modules.forEach(m -> {
            if (!a.family().module(m).perLayer()) {
                get(-1, m);
            }
        });
        return byName.values().stream().filter(m -> modules.contains(m.module())
                && (!m.perLayer() || layers.contains(m.layer()))).toList();
    }

    /**
     * Parses and applies a user selection; a null or blank part means its default (all layers; the
     * family's default modules). Module names are the family's (see {@link ModelFamily#parseModules}).
     */
    public List<MatrixRef> select(String layers, String modules) {
        Architecture a = requireArchitecture();
        LayerSet layerSet = layers == null || layers.isBlank() ? LayerSet.all(a.layers())
                : LayerSet.parse(layers, a.layers());
        Set<String> moduleSet = modules == null || modules.isBlank() ? Set.copyOf(a.family().defaultModules())
                : a.family().parseModules(modules);
        return select(layerSet, moduleSet);
    }

    /** The named matrices, in the order given. */
    public List<MatrixRef> selectByName(Collection<String> names) {
        return names.stream().map(this::byName).toList();
    }

    /** The embedding matrix that serves as the head, when tied. */
    public Optional<MatrixRef> lmHeadTiedTo() {
        return architecture.filter(Architecture::headTied).flatMap(a -> a.family().tiedHead())
                .map(t -> get(-1, t.embedding()));
    }

    private Architecture requireArchitecture() {
        return architecture.orElseThrow(() -> new InvalidInputException(note.orElse(description
                + ": the architecture is unknown (no config.json)") + "; matrices cannot be chosen by layer and"
                + " module; select them by tensor name"));
    }
}
