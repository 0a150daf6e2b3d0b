package dev.lasermesh.gateway.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.job.CalibrationSpec;
import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobSpecValidator;
import dev.lasermesh.contracts.job.StrategySpec;
import dev.lasermesh.contracts.job.StudySpec;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.eval.EvalInputException;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.LinearInput;
import dev.lasermesh.core.eval.task.TaskFolder;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.search.EvaluationRequest;
import dev.lasermesh.core.search.Split;
import dev.lasermesh.gateway.orchestrator.CalibrationStage;
import dev.lasermesh.gateway.orchestrator.MergedPerplexity;
import dev.lasermesh.gateway.orchestrator.TaskEvaluations;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks a submitted job spec completely before anything is stored: the contract's validator (fields,
 * roots, model folder), then what only the model and the texts can tell — the matrices the job
 * selects, and how many evaluation windows the texts make.
 *
 * <p>The window count W is computed here, once per job, by tokenizing the texts with core's
 * {@link Evaluation#plan} (cheap next to one forward pass): the gateway needs it before the first
 * evaluation to cut each request's windows into shards and to place the validation/report split of
 * {@code laser-grid} and {@code sfsd-surgical}. Evaluators report W as well ({@code EvaluationOutput.totalWindows}); the
 * orchestrator fails a job whose evaluators count differently, since the services then disagree on
 * the tokenizer or the texts.
 *
 * <p>A task evaluation (an encoder's {@code knn-accuracy}, DESIGN §7.1) counts examples instead of
 * windows: train then test, which the gateway shards by examples ({@link TaskEvaluations}).
 *
 * <p>A calibrated method (DESIGN §7.4) counts the windows of its calibration text here as well, for the
 * calibration stage to shard them ({@link CalibrationStage}); a text shorter than one window is a 400.
 *
 * <p>{@code laserrmt-greedy} scans only its {@code types} (laserRMT leaves {@code gate} out), so only
 * the selected matrices of those types are analysed, as the standalone does.
 */
public final class JobPlanner {

    private final JobSpecValidator validator;

    public JobPlanner(JobSpecValidator validator) {
        this.validator = validator;
    }

    /**
     * The plan of {@code submitted}.
     *
     * @throws ContractException naming the field at fault
     */
    public JobPlan plan(JobSpec submitted) {
        JobSpec spec = validator.resolve(submitted);
        boolean calibrates = CalibrationStage.calibrates(spec);
        requireCalibratable(spec, calibrates);
        Path model = Path.of(spec.model());
        List<MatrixRef> matrices;
        ModelConfig config;
        try (ModelSource source = ModelSource.open(model)) {
            boolean decoder = calibrates || spec.evaluation() != null && !spec.evaluation().scoresTask();
            config = decoder ? source.decoderConfig() : null;
            matrices = select(source, spec);
        } catch (InvalidInputException e) {
            throw e instanceof ContractException c ? c : new ContractException("model: " + e.getMessage(), "model");
        }
        if (matrices.isEmpty()) {
            throw new ContractException("the selection names no matrix of this model", "matrices");
        }
        requireStudyMatrices(spec, matrices);
        Integer calibrationWindows = null;
        if (calibrates) {
            requireCalibrationInputs(matrices);
            calibrationWindows = calibrationWindows(config, model, spec.calibration());
        }
        LoraStudyCheck.require(spec);
        Integer windows = spec.evaluation() == null ? null : spec.evaluation().scoresTask()
                ? examples(spec.evaluation()) : windows(config, model, spec.evaluation());
        if (windows != null && !spec.evaluation().scoresTask() && spec.strategy().validationFraction() != null) {
            requireBothSplits(spec.strategy().validationFraction(), windows);
        }
        return new JobPlan(spec, matrices, windows, calibrationWindows);
    }

    /**
     * A calibrated method (DESIGN §7.4) runs the decoder's forward pass on the calibration text, so it does not
     * apply to an encoder's task evaluation; and the studies build their variants by W's own SVD.
     */
    private static void requireCalibratable(JobSpec spec, boolean calibrates) {
        if (!calibrates) {
            return;
        }
        if (spec.evaluation() != null && spec.evaluation().scoresTask()) {
            throw new ContractException("method " + spec.method() + " calibrates a decoder; a task evaluation "
                    + "(encoder) takes method svd", "method");
        }
        if (spec.study() != null && !spec.study().methods()) {
            throw new ContractException("method " + spec.method() + " does not combine with a study (its variants "
                    + "are built by W's own SVD)", "method");
        }
    }

    /** Every matrix of a calibrated job must be a linear of a decoder layer, whose input is calibrated. */
    private static void requireCalibrationInputs(List<MatrixRef> matrices) {
        for (MatrixRef m : matrices) {
            if (m.layer() < 0 || LinearInput.ofTensor(m.name()) == null) {
                throw new ContractException("matrix " + m.name() + " has no calibration input (a calibrated method "
                        + "reduces the q/k/v/o and gate/up/down linears of decoder layers)", "matrices");
            }
        }
    }

    /** The windows of the calibration text, as the evaluators will cut them. */
    private static int calibrationWindows(ModelConfig config, Path model, CalibrationSpec calibration) {
        try (TextTokenizer tokenizer = TextTokenizer.load(model)) {
            return Evaluation.plan(config, tokenizer, List.of(Path.of(calibration.text())),
                    calibration.windowProtocol()).windows().size();
        } catch (EvalInputException e) {
            throw new ContractException("calibration text: " + e.getMessage(), "calibration.text");
        } catch (InvalidInputException e) {
            throw new ContractException("model: " + e.getMessage(), "model");
        }
    }

    /** A study's given LASER matrices must be selected (so the job analyses them) and fit their ranks. */
    private static void requireStudyMatrices(JobSpec spec, List<MatrixRef> matrices) {
        if (spec.study() == null || spec.study().laser() == null) {
            return;
        }
        for (int i = 0; i < spec.study().laser().size(); i++) {
            StudySpec.LaserRank given = spec.study().laser().get(i);
            String field = "study.laser[" + i + "]";
            MatrixRef m = matrices.stream().filter(r -> r.name().equals(given.tensor())).findFirst()
                    .orElseThrow(() -> new ContractException("matrix " + given.tensor() + " is not among the job's "
                            + "selected matrices", field + ".tensor"));
            if (given.rank() > m.minDim()) {
                throw new ContractException("rank " + given.rank() + " of " + given.tensor() + " exceeds min(rows, cols) = "
                        + m.minDim(), field + ".rank");
            }
        }
    }

    private static List<MatrixRef> select(ModelSource source, JobSpec spec) {
        List<MatrixRef> selected = source.catalogue().select(spec.matrices().layers(), spec.matrices().modules());
        if (spec.strategy() instanceof StrategySpec.LaserRmtGreedy greedy) {
            return selected.stream().filter(m -> greedy.types().contains(m.module())).toList();
        }
        return selected;
    }

    private static int windows(ModelConfig config, Path model, EvaluationSpec evaluation) {
        List<Path> texts = evaluation.texts().stream().map(Path::of).toList();
        try (TextTokenizer tokenizer = TextTokenizer.load(model)) {
            return Evaluation.plan(config, tokenizer, texts, MergedPerplexity.protocol(evaluation)).windows().size();
        } catch (EvalInputException e) {
            throw new ContractException(e.getMessage(), "evaluation.texts");
        } catch (InvalidInputException e) {
            throw new ContractException("model: " + e.getMessage(), "model");
        }
    }

    /**
     * A task evaluation's "windows" are its examples, train then test (DESIGN §7.1): what the gateway
     * shards and the evaluators count.
     */
    private static int examples(EvaluationSpec evaluation) {
        TaskFolder task = TaskEvaluations.folder(evaluation);
        return task.train().size() + task.test().size();
    }

    /**
     * A split strategy (laser-grid, sfsd-surgical) chooses on the first ⌊f·W⌋ windows and reports on the
     * rest: both must hold a window.
     */
    private static void requireBothSplits(double fraction, int windows) {
        EvaluationRequest probe = new EvaluationRequest("probe", Split.VALIDATION, fraction, List.of());
        int validation = probe.endWindow(windows);
        if (validation < 1 || validation >= windows) {
            throw new ContractException("validationFraction " + fraction + " of the " + windows
                    + " evaluation windows leaves " + validation + " for validation and " + (windows - validation)
                    + " for the report; each needs at least one (use more text or another fraction)",
                    "strategy.validationFraction");
        }
    }
}
