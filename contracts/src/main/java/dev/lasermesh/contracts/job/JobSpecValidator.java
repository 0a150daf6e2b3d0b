package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.Quoted;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.calibrate.ReductionMethod;
import dev.lasermesh.core.model.ConfigFile;
import dev.lasermesh.core.model.LayerSet;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.family.Architecture;
import dev.lasermesh.core.model.family.EvaluationSupport;
import dev.lasermesh.core.model.family.ModelFamilies;
import dev.lasermesh.core.model.family.ModelFamily;
import dev.lasermesh.core.model.family.ModuleSpec;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.core.tensor.TensorSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a submitted {@link JobSpec} and fills in its defaults, before the gateway stores the job.
 * Every problem is a {@link ContractException} whose field is the JSON path of the value at fault
 * ({@code model}, {@code matrices.layers}, {@code policy}, {@code policy.fraction},
 * {@code strategy.count}, {@code evaluation.texts[1]}, {@code evaluation.window}, {@code evaluation.task}, {@code method},
 * {@code calibration.text}, ...), so the gateway
 * can answer HTTP 400 with {@code {"error": ..., "field": ...}}. The sizes of the values are checked
 * first ({@link SpecLimits}), then the fields in document order; the first problem is reported.
 *
 * <p>Files are looked up only inside the configured roots ({@link PathRoots}): the model folder under
 * the model roots, with every file of the model in it ({@link ModelFolders}), a LoRA study's adapter folder
 * there too ({@link AdapterFolders}), the evaluation texts under
 * the data roots. The resolved spec carries their real paths, so resolving it again gives the same spec.
 */
public final class JobSpecValidator {

    private final PathRoots modelRoots;
    private final PathRoots dataRoots;

    /**
     * @param modelRoots folders that hold the models users may name
     * @param dataRoots  folders that hold the evaluation texts users may name
     * @throws IllegalArgumentException when a list is empty or a root is not a folder
     */
    public JobSpecValidator(List<Path> modelRoots, List<Path> dataRoots) {
        this(new PathRoots("model", modelRoots), new PathRoots("data", dataRoots));
    }

    /**
     * @param modelRoots the roots of the models users may name
     * @param dataRoots  the roots of the evaluation texts users may name
     */
    public JobSpecValidator(PathRoots modelRoots, PathRoots dataRoots) {
        this.modelRoots = modelRoots;
        this.dataRoots = dataRoots;
    }

    /**
     * The spec with real paths and every default filled in.
     *
     * @throws ContractException naming the first field at fault
     */
    public JobSpec resolve(JobSpec spec) {
        SpecLimits.check(spec);
        Path model = modelFolder(spec.model());
        Architecture architecture = architecture(model);
        if (spec.evaluation() != null || (spec.strategy() != null && spec.strategy().searches())) {
            requireEvaluable(architecture, model, spec.evaluation());
        }
        MatrixSelection matrices = resolveMatrices(spec.matrices(), architecture);
        StrategySpec strategy = StrategyDefaults.resolve(spec.strategy(), matrices, architecture.family());
        RankPolicySpec policy = PolicyCheck.resolve(spec.policy(), strategy);
        EvaluationSpec evaluation = resolveEvaluation(spec.evaluation(), strategy);
        OutputForm output = spec.output() == null ? OutputForm.DENSE : spec.output();
        if (spec.study() != null && evaluation != null && evaluation.scoresTask()) {
            throw new ContractException("study " + spec.study().kind() + " compares perplexities; a task evaluation "
                    + "(knn-accuracy) has none", "study");
        }
        if (spec.study() != null && evaluation == null) {
            throw new ContractException("study " + spec.study().kind() + " compares perplexities, so it needs an "
                    + "evaluation", "evaluation");
        }
        StudySpec study = AdapterFolders.resolve(spec.study(), modelRoots);
        ReductionMethod method = resolveMethod(spec.method());
        CalibrationSpec calibration = resolveCalibration(spec.calibration(), method);
        MethodsStudyCheck.require(study, strategy, method, calibration);
        return new JobSpec(spec.version(), model.toString(), matrices, policy, strategy, evaluation, output,
                study, method.cliName(), calibration);
    }

    /** The method named, {@code svd} when left out. */
    private static ReductionMethod resolveMethod(String given) {
        if (given == null) {
            return ReductionMethod.SVD;
        }
        try {
            return ReductionMethod.parse(given);
        } catch (InvalidInputException e) {
            throw new ContractException(e.getMessage(), "method");
        }
    }

    /** The calibration with its text resolved and defaults filled in; required by the calibrated methods. */
    private CalibrationSpec resolveCalibration(CalibrationSpec given, ReductionMethod method) {
        if (given == null) {
            if (method.needsCalibration()) {
                throw new ContractException("method " + method.cliName() + " needs a calibration text "
                        + "(calibration.text)", "calibration");
            }
            return null;
        }
        if (given.text() == null) {
            throw new ContractException("calibration.text must name a text file", "calibration.text");
        }
        Path text = textFile(given.text(), "calibration.text");
        int tokens = given.tokens() == null ? CalibrationSpec.DEFAULT_TOKENS : given.tokens();
        if (tokens < 1) {
            throw new ContractException("calibration.tokens must be >= 1, got " + tokens, "calibration.tokens");
        }
        int window = given.window() == null ? CalibrationSpec.DEFAULT_WINDOW : given.window();
        if (window < 2) {
            throw new ContractException("calibration.window must be at least 2 tokens, got " + window,
                    "calibration.window");
        }
        return new CalibrationSpec(text.toString(), tokens, window);
    }

    /**
     * The real path of the model folder {@code given} names: a folder under the model roots, and every
     * file of the model in it too ({@link ModelFolders}).
     *
     * @throws ContractException naming {@code model}
     */
    public Path modelFolder(String given) {
        Path model = ModelFolders.requireInside(modelRoots, modelRoots.resolve(given, "model"), "model");
        if (!Files.isDirectory(model)) {
            throw new ContractException("model " + model.getFileName() + " is not a folder", "model");
        }
        return model;
    }

    /**
     * The real path of the text file {@code given} names, under the data roots.
     *
     * @param field the field it came from ({@code evaluation.texts[0]})
     * @throws ContractException naming {@code field}
     */
    public Path textFile(String given, String field) {
        Path text = dataRoots.resolve(given, field);
        if (!Files.isRegularFile(text)) {
            throw new ContractException(field + " " + Quoted.of(given) + " is not a file", field);
        }
        return text;
    }

    /**
     * The model's family under its config.json; the folder must be a Hugging Face model of a known
     * family with weights (jobs choose matrices by layer and module, and {@link
     * dev.lasermesh.contracts.MatrixId} has no expert).
     */
    private static Architecture architecture(Path model) {
        try {
            ConfigFile config = ConfigFile.read(model.resolve(ModelSource.CONFIG_FILE));
            TensorSources.weightsFileOf(model);
            ModelFamily family = ModelFamilies.of(config).orElseThrow(() -> new InvalidInputException(
                    ModelFamilies.unknownFamilyNote(config) + "; a job chooses matrices by layer and module"));
            if (family.expertCount().isPresent()) {
                throw new InvalidInputException(config.source() + ": family " + family.name() + " addresses matrices"
                        + " by expert, which jobs do not carry; use lasermesh analyze or reduce");
            }
            return family.architecture(config);
        } catch (InvalidInputException e) {
            throw new ContractException("model: " + relativeMessage(e.getMessage(), model), "model");
        }
    }

    /**
     * An evaluation, or a search, needs a family scored by perplexity, or an encoder for a task
     * evaluation (DESIGN §7.1).
     */
    private static void requireEvaluable(Architecture architecture, Path model, EvaluationSpec evaluation) {
        if (evaluation != null && evaluation.scoresTask()) {
            boolean encoder = architecture.family().evaluation()
                    .map(e -> e.forwardPass() == EvaluationSupport.ForwardPass.ENCODER).orElse(false);
            if (!encoder) {
                throw new ContractException("evaluation.task scores encoders (family bert) by knn-accuracy; the model "
                        + "is of family " + architecture.family().name() + " (give evaluation.texts for perplexity)",
                        "evaluation.task");
            }
            return;
        }
        if (!ModelFamilies.scoredByPerplexity(architecture.family())) {
            throw new ContractException("model: " + relativeMessage(
                    ModelFamilies.notScoredByPerplexity(architecture.config()).getMessage(), model), "model");
        }
    }

    /** Core's messages name files by absolute path; the user knows the model by the name they gave. */
    private static String relativeMessage(String message, Path model) {
        Path parent = model.getParent();
        return parent == null ? message : message.replace(parent + "/", "");
    }

    private static MatrixSelection resolveMatrices(MatrixSelection given, Architecture architecture) {
        ModelFamily family = architecture.family();
        String layers = given == null || given.layers() == null ? MatrixSelection.ALL_LAYERS : given.layers().trim();
        try {
            LayerSet.parse(layers, architecture.layers());
        } catch (InvalidInputException e) {
            throw new ContractException(e.getMessage(), "matrices.layers");
        }
        String modules = given == null || given.modules() == null ? String.join(",", family.defaultModules())
                : given.modules();
        Set<String> parsed;
        try {
            parsed = family.parseModules(modules);
        } catch (InvalidInputException e) {
            throw new ContractException(e.getMessage(), "matrices.modules");
        }
        for (String module : parsed) {
            if (!family.module(module).perLayer()) {
                throw new ContractException("module " + module + " is not a per-layer matrix; choose among "
                        + family.modules().stream().filter(ModuleSpec::perLayer).map(ModuleSpec::shortName)
                        .collect(Collectors.joining(",")), "matrices.modules");
            }
        }
        return new MatrixSelection(layers, String.join(",", parsed));
    }

    private EvaluationSpec resolveEvaluation(EvaluationSpec given, StrategySpec strategy) {
        if (given == null) {
            if (strategy.searches()) {
                throw new ContractException("strategy " + strategy.name()
                        + " compares perplexities, so it needs an evaluation", "evaluation");
            }
            return null;
        }
        if (given.task() != null) {
            if (strategy instanceof StrategySpec.SfsdSurgical) {
                throw new ContractException("strategy " + strategy.name() + " bounds a perplexity by a tolerance; a "
                        + "task evaluation (knn-accuracy) has none", "strategy");
            }
            return TaskEvaluationCheck.resolve(given, dataRoots);
        }
        List<String> texts = resolveTexts(given.texts());
        String protocol = given.protocol() == null ? EvaluationSpec.DEFAULT_PROTOCOL : given.protocol();
        if (!EvaluationSpec.PROTOCOLS.contains(protocol)) {
            throw new ContractException("unknown protocol " + Quoted.of(protocol) + " (valid: "
                    + String.join(", ", EvaluationSpec.PROTOCOLS) + ")", "evaluation.protocol");
        }
        int window = given.window() == null ? EvaluationSpec.DEFAULT_WINDOW : given.window();
        if (window < 2) {
            throw new ContractException("window must be at least 2 tokens, got " + window, "evaluation.window");
        }
        int stride = resolveStride(given.stride(), protocol, window);
        if (given.maxTokens() != null && given.maxTokens() < 1) {
            throw new ContractException("maxTokens must be >= 1 (or left out for the whole text), got "
                    + given.maxTokens(), "evaluation.maxTokens");
        }
        return new EvaluationSpec(texts, protocol, window, stride, given.maxTokens());
    }

    private List<String> resolveTexts(List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            throw new ContractException("evaluation.texts must list at least one text file", "evaluation.texts");
        }
        List<String> resolved = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String field = "evaluation.texts[" + i + "]";
            Path text = textFile(texts.get(i), field);
            if (resolved.contains(text.toString())) {
                throw new ContractException(field + " " + Quoted.of(texts.get(i)) + " is listed twice", field);
            }
            resolved.add(text.toString());
        }
        return List.copyOf(resolved);
    }

    /** Sliding windows overlap by default by half (Hugging Face's example: 1024 / 512); the others never. */
    private static int resolveStride(Integer stride, String protocol, int window) {
        if (!protocol.equals(EvaluationSpec.SLIDING)) {
            if (stride != null && stride != window) {
                throw new ContractException("stride applies to the sliding protocol only; " + protocol
                        + " windows do not overlap (leave stride out, or set it to the window " + window + ")",
                        "evaluation.stride");
            }
            return window;
        }
        if (stride == null) {
            return Math.max(1, window / 2);
        }
        if (stride < 1 || stride > window) {
            throw new ContractException("stride must be between 1 and the window " + window + ", got " + stride,
                    "evaluation.stride");
        }
        return stride;
    }
}
