package dev.lasermesh.core.model.family;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.model.ConfigFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An architecture as data (DESIGN §7.1): which config.json it applies to, the sizes it reads from it,
 * its weight matrices (short name, Hugging Face tensor-name pattern, shape rule, per model / layer /
 * expert), the tensors its forward pass reads besides, the default selection and search order, and —
 * where Lasermesh can run it — its forward pass and default metric. The families are in
 * {@link ModelFamilies}.
 *
 * <p>Catalogue order: the model-wide modules listed before the first per-layer module, then per layer
 * the per-layer modules and, per expert, the expert modules, then the remaining model-wide modules.
 *
 * @param name           the family's name ({@code llama}, {@code bert}, …)
 * @param description    what it covers, for help and messages
 * @param modelTypes     config.json {@code model_type} values of the family
 * @param architectures  config.json {@code architectures} class names that identify it when model_type does not
 * @param prefixes       tensor-name prefixes its checkpoints use, tried in order (e.g. {@code ""},
 *                       {@code "bert."}, {@code "roberta."}); one prefix holds for a whole checkpoint
 * @param reader         reads its {@link Dimensions} from config.json, with errors naming the file and field
 * @param modules        its weight matrices, in catalogue order (see above)
 * @param tensors        the other tensors its forward pass reads (norms, biases), by key
 * @param defaultModules what is analysed and reduced when the user names no modules
 * @param searchOrder    module order within a layer of a greedy search (laserRMT's for llama); empty for a
 *                       family without a forward pass
 * @param expertCount    the dimension that counts experts per layer, for families with expert modules
 * @param tiedHead       the output head that config.json may tie to the embeddings
 * @param evaluation     its forward pass and default metric, when Lasermesh can run it
 */
public record ModelFamily(String name, String description, List<String> modelTypes, List<String> architectures,
                          List<String> prefixes, Function<ConfigFile, Dimensions> reader, List<ModuleSpec> modules,
                          List<TensorSpec> tensors, List<String> defaultModules, List<String> searchOrder,
                          Optional<String> expertCount, Optional<TiedHead> tiedHead,
                          Optional<EvaluationSupport> evaluation) {

    public ModelFamily {
        modelTypes = List.copyOf(modelTypes);
        architectures = List.copyOf(architectures);
        prefixes = List.copyOf(prefixes);
        modules = List.copyOf(modules);
        tensors = List.copyOf(tensors);
        defaultModules = List.copyOf(defaultModules);
        searchOrder = List.copyOf(searchOrder);
        Set<String> keys = new HashSet<>();
        Stream.concat(modules.stream().map(ModuleSpec::tensor), tensors.stream()).forEach(t -> {
            if (!keys.add(t.key())) {
                throw new IllegalArgumentException(name + ": tensor key " + t.key() + " twice");
            }
        });
        for (String m : Stream.concat(defaultModules.stream(), searchOrder.stream()).toList()) {
            if (modules.stream().noneMatch(s -> s.shortName().equals(m) && s.perLayer())) {
                throw new IllegalArgumentException(name + ": " + m + " is not a per-layer module");
            }
        }
        boolean hasExperts = modules.stream().anyMatch(m -> m.scope() == Scope.EXPERT);
        if (hasExperts != expertCount.isPresent() || prefixes.isEmpty()
                || (evaluation.isPresent() && searchOrder.isEmpty())) {
            throw new IllegalArgumentException(name + ": expert modules need an expert count, a family a prefix,"
                    + " and an evaluable family a search order");
        }
        for (String tied : tiedHead.map(t -> List.of(t.head(), t.embedding())).orElse(List.of())) {
            if (modules.stream().noneMatch(s -> s.shortName().equals(tied) && !s.perLayer())) {
                throw new IllegalArgumentException(name + ": tied module " + tied + " is not a model-wide module");
            }
        }
    }

    /** Starts a family definition. */
    static Builder builder(String name, String description) {
        return new Builder(name, description);
    }

    /**
     * The family under {@code config}: its sizes and whether the head is tied.
     *
     * @throws dev.lasermesh.core.model.ModelConfigException naming config.json and the field that is
     *                                                       missing or inconsistent
     */
    public Architecture architecture(ConfigFile config) {
        Dimensions dimensions = reader.apply(config);
        boolean tied = tiedHead.map(t -> config.bool(t.configField(), t.tiedByDefault())).orElse(false);
        return new Architecture(this, config, dimensions, tied);
    }

    /**
     * A module by its short name.
     *
     * @throws InvalidInputException listing the family's modules when it has none of this name
     */
    public ModuleSpec module(String shortName) {
        return modules.stream().filter(m -> m.shortName().equals(shortName)).findFirst()
                .orElseThrow(() -> unknownModule(shortName));
    }

    /**
     * A module by what a user typed: its short name or an alias, any case.
     *
     * @throws InvalidInputException naming the value and listing the family's valid names
     */
    public ModuleSpec parseModule(String typed) {
        return modules.stream().filter(m -> m.matches(typed)).findFirst().orElseThrow(() -> unknownModule(typed.trim()));
    }

    /**
     * A comma-separated module list such as {@code "q,k,v,o,gate,up,down"}, as short names in this
     * family's module order.
     *
     * @throws InvalidInputException on an empty list, an empty item or an unknown name (listing the valid ones)
     */
    public Set<String> parseModules(String list) {
        if (list.isBlank()) {
            throw new InvalidInputException("empty module list (valid for " + name + ": " + validModuleNames() + ")");
        }
        Set<String> typed = new HashSet<>();
        for (String item : list.split(",", -1)) {
            if (item.isBlank()) {
                throw new InvalidInputException("module list \"" + list + "\" has an empty item (valid for " + name
                        + ": " + validModuleNames() + ")");
            }
            typed.add(parseModule(item).shortName());
        }
        return modules.stream().map(ModuleSpec::shortName).filter(typed::contains)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The short names users may type: per-layer modules first, then model-wide ones, e.g. {@code q, k, …, lm_head}. */
    public String validModuleNames() {
        return modules.stream().sorted(Comparator.comparing(m -> !m.perLayer())).map(ModuleSpec::shortName)
                .collect(Collectors.joining(", "));
    }

    /**
     * Any tensor the family names — a module's weight or another tensor — by key.
     *
     * @throws IllegalArgumentException when the family has no tensor of this key (a programming error)
     */
    public TensorSpec tensor(String key) {
        return Stream.concat(modules.stream().map(ModuleSpec::tensor), tensors.stream())
                .filter(t -> t.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " has no tensor " + key));
    }

    /** Whether Lasermesh can run this family's forward pass. */
    public boolean evaluable() {
        return evaluation.isPresent();
    }

    /** {@code llama (model_type llama, mistral, qwen2)}, for messages. */
    public String label() {
        return name + " (model_type " + String.join(", ", modelTypes) + ")";
    }

    private InvalidInputException unknownModule(String typed) {
        return new InvalidInputException("unknown module \"" + typed + "\" for family " + name + " (valid: "
                + validModuleNames() + ")");
    }

    /** Builds a family definition step by step; see the record's components. */
    static final class Builder {

        private final String name;
        private final String description;
        private List<String> modelTypes = List.of();
        private List<String> architectures = List.of();
        private List<String> prefixes = List.of("");
        private Function<ConfigFile, Dimensions> reader;
        private final List<ModuleSpec> modules = new ArrayList<>();
        private final List<TensorSpec> tensors = new ArrayList<>();
        private List<String> defaultModules = List.of();
        private List<String> searchOrder = List.of();
        private Optional<String> expertCount = Optional.empty();
        private Optional<TiedHead> tiedHead = Optional.empty();
        private Optional<EvaluationSupport> evaluation = Optional.empty();

        private Builder(String name, String description) {
            this.name = name;
            this.description = description;
        }

        Builder modelTypes(String... values) {
            modelTypes = List.of(values);
            return this;
        }

        Builder architectures(String... values) {
            architectures = List.of(values);
            return this;
        }

        Builder prefixes(String... values) {
            prefixes = List.of(values);
            return this;
        }

        Builder dimensions(Function<ConfigFile, Dimensions> value) {
            reader = value;
            return this;
        }

        Builder module(ModuleSpec value) {
            modules.add(value);
            return this;
        }

        Builder tensor(TensorSpec value) {
            tensors.add(value);
            return this;
        }

        Builder defaultModules(String... values) {
            defaultModules = List.of(values);
            return this;
        }

        Builder searchOrder(String... values) {
            searchOrder = List.of(values);
            return this;
        }

        Builder expertCount(String dimension) {
            expertCount = Optional.of(dimension);
            return this;
        }

        Builder tiedHead(TiedHead value) {
            tiedHead = Optional.of(value);
            return this;
        }

        Builder evaluation(EvaluationSupport value) {
            evaluation = Optional.of(value);
            return this;
        }

        ModelFamily build() {
            return new ModelFamily(name, description, modelTypes, architectures, prefixes, reader, modules, tensors,
                    defaultModules, searchOrder, expertCount, tiedHead, evaluation);
        }
    }
}
