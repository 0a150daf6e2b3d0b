package dev.lasermesh.gateway;

import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.task.AnalysisOutput;
import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.task.CalibrationShard;
import dev.lasermesh.contracts.task.EvaluationOutput;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.EvaluationSums;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.task.LoraRecipe;
import dev.lasermesh.contracts.task.MethodCell;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.worker.TaskMethods;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.calibrate.CalibrationPass;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.calibrate.MethodDecompositions;
import dev.lasermesh.core.calibrate.MethodStudy;
import dev.lasermesh.core.calibrate.MethodTruncation;
import dev.lasermesh.core.eval.EvalProgress;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.forward.ModelState;
import dev.lasermesh.core.eval.perplexity.PartialSums;
import dev.lasermesh.core.eval.perplexity.PerplexityEvaluator;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.lora.MatrixRecipe;
import dev.lasermesh.core.lora.StudyMatrices;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.DenseReduction;
import dev.lasermesh.core.reduce.FactoredReduction;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.reduce.MatrixTruncator;
import dev.lasermesh.core.spectrum.FixedRankPolicy;
import dev.lasermesh.core.study.StudyReduction;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import dev.lasermesh.gateway.orchestrator.MergedPerplexity;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The three workers' jobs done in the test with core's own components (no mocks): the analyzer's
 * {@link MatrixAnalyzer}, the reducer's {@link MatrixTruncator} writing the reduced tensors into the
 * artifact store as the contract describes (the matrix as written in its dtype, sha256 of its bytes) and
 * the studies' transforms with core's study code (quantized values, LoRA recipes), and the evaluator's
 * {@link PerplexityEvaluator} scoring a shard's windows with the overlays applied.
 * Their answers are real results for the orchestrator to take.
 */
public final class CoreWorkers implements AutoCloseable {

    /**
     * OpenBLAS threads of a calibration shard's forward pass and of a calibrated method's decompositions:
     * one, so that a test computing the standalone's numbers with as many threads gets them bit for bit
     * (multi-threaded products may round differently).
     */
    public static final int CALIBRATION_THREADS = 1;

    private final Path artifacts;
    private final LinearAlgebra linearAlgebra = LinearAlgebras.create();
    private final LinearAlgebra methodLinearAlgebra = LinearAlgebras.create(CALIBRATION_THREADS);
    private final MatrixTruncator truncator = new MatrixTruncator(linearAlgebra);
    private final Map<String, ModelSource> models = new HashMap<>();
    private final Map<String, DecoderWeights> weights = new HashMap<>();
    private final Map<String, WindowPlan> plans = new HashMap<>();
    private final Map<String, PerplexityEvaluator> evaluators = new HashMap<>();

    public CoreWorkers(Path artifacts) {
        this.artifacts = artifacts;
    }

    public AnalysisResult analyze(AnalysisTask task) {
        ModelSource model = model(task.modelPath());
        MatrixAnalyzer analyzer = task.method() == null ? new MatrixAnalyzer(linearAlgebra, task.policy().toPolicy())
                : new MatrixAnalyzer(methodLinearAlgebra, task.policy().toPolicy(),
                        TaskMethods.truncation(task.method(), artifacts, methodLinearAlgebra));
        MatrixAnalysis analysis = analyzer.analyze(model, ref(model, task.matrix()));
        return AnalysisResult.completed(task, new AnalysisOutput(analysis.summary().orElseThrow(), analysis.seconds(),
                analysis.method().orElseThrow()));
    }

    public ReductionResult reduce(ReductionTask task) {
        ModelSource model = model(task.modelPath());
        MatrixRef m = ref(model, task.matrix());
        if (task.transform() != null && task.transform().scheme().isPresent()) {
            return quantized(task, model, m);
        }
        if (task.transform() != null && task.transform().lora() != null) {
            return lora(task, model, m);
        }
        if (task.transform() != null && task.transform().methodCell() != null) {
            return methodCell(task, model, m);
        }
        MethodTruncation method = task.method() == null ? null
                : TaskMethods.truncation(task.method(), artifacts, methodLinearAlgebra);
        MatrixTruncator truncator = method == null ? this.truncator : new MatrixTruncator(methodLinearAlgebra, method);
        double[] s = (method == null ? new MatrixAnalyzer(linearAlgebra, new FixedRankPolicy(task.rank()))
                : new MatrixAnalyzer(methodLinearAlgebra, new FixedRankPolicy(task.rank()), method))
                .analyze(model, m).summary().orElseThrow().singularValues();
        Path file = artifacts.resolve(task.outputPath());
        List<TensorRef> refs = new ArrayList<>();
        double error;
        long bytesAfter;
        if (task.form() == OutputForm.DENSE) {
            DenseReduction r = truncator.dense(model, m, s, task.rank());
            new SafetensorsWriter(file).put(m.name(), m.dtype(), new long[] {m.rows(), m.cols()},
                    r.reconstruction().data()).write();
            refs.add(tensorRef(task.outputPath(), file, m.name()));
            error = r.result().error();
            bytesAfter = r.result().storage().denseBytes();
        } else {
            FactoredReduction r = truncator.factored(model, m, s, task.rank());
            DenseMatrix left = r.factors().a();
            DenseMatrix right = r.factors().b();
            new SafetensorsWriter(file)
                    .put(m.name() + ".left", m.dtype(), new long[] {left.rows(), left.cols()}, left.data())
                    .put(m.name() + ".right", m.dtype(), new long[] {right.rows(), right.cols()}, right.data())
                    .write();
            refs.add(tensorRef(task.outputPath(), file, m.name() + ".left"));
            refs.add(tensorRef(task.outputPath(), file, m.name() + ".right"));
            error = r.result().error();
            bytesAfter = r.result().storage().factoredBytes();
        }
        double energy = dev.lasermesh.core.spectrum.SpectralStatistics.energyKept(s, task.rank());
        return ReductionResult.completed(task, new ReductionOutput(new Overlay(m.name(), refs), task.rank(), error, energy,
                m.elementCount() * m.dtype().byteSize(), bytesAfter, 0.01, linearAlgebra.name(),
                method == null ? null : method.report().matrices().get(m.name())));
    }

    /** A study's quantizing reduction, computed by core's {@link StudyReduction} and stored in F32. */
    private ReductionResult quantized(ReductionTask task, ModelSource model, MatrixRef m) {
        int k = task.truncates() ? task.rank() : m.minDim();
        boolean factored = task.form() == OutputForm.FACTORED;
        StudyReduction.Result r = new StudyReduction(linearAlgebra).compute(model, m, task.truncates(), k, factored,
                task.transform().scheme());
        Path file = artifacts.resolve(task.outputPath());
        SafetensorsWriter writer = new SafetensorsWriter(file);
        List<String> names = factored ? List.of(m.name() + ".left", m.name() + ".right") : List.of(m.name());
        List<long[]> shapes = factored ? List.of(new long[] {m.rows(), k}, new long[] {k, m.cols()})
                : List.of(new long[] {m.rows(), m.cols()});
        for (int i = 0; i < names.size(); i++) {
            writer.put(names.get(i), DType.F32, shapes.get(i), DenseMatrix.fromFloats(1, r.tensors().get(i).length,
                    r.tensors().get(i)).data());
        }
        writer.write();
        List<TensorRef> refs = names.stream().map(n -> tensorRef(task.outputPath(), file, n)).toList();
        return ReductionResult.completed(task, new ReductionOutput(new Overlay(m.name(), refs), k, r.error(),
                r.energyKept(), m.elementCount() * m.dtype().byteSize(), r.bytes(), 0.01, linearAlgebra.name()));
    }

    /**
     * A methods study's matrix, built by core's {@link MethodStudy#cell} on the merged statistics and stored
     * dense in the matrix's dtype, with its errors.
     */
    private ReductionResult methodCell(ReductionTask task, ModelSource model, MatrixRef m) {
        MethodCell cell = task.transform().methodCell();
        MethodDecompositions method = new MethodDecompositions(cell.reductionMethod(),
                new CalibrationStore(artifacts.resolve(cell.statistics())), methodLinearAlgebra);
        MethodStudy.MatrixCell built = MethodStudy.cell(method, m, model.readMatrix(m), task.rank());
        Path file = artifacts.resolve(task.outputPath());
        new SafetensorsWriter(file).put(m.name(), m.dtype(), new long[] {m.rows(), m.cols()},
                DenseMatrix.fromFloats(m.rows(), m.cols(), built.values()).data()).write();
        long bytes = m.elementCount() * m.dtype().byteSize();
        return ReductionResult.completed(task, new ReductionOutput(new Overlay(m.name(),
                List.of(tensorRef(task.outputPath(), file, m.name()))), built.errors().rank(), 0.0, built.energyKept(), bytes,
                bytes, 0.01, methodLinearAlgebra.name(), built.errors()));
    }

    /** A LoRA study's matrix, built by core's {@link StudyMatrices#single} and stored dense in the base dtype. */
    private ReductionResult lora(ReductionTask task, ModelSource model, MatrixRef m) {
        LoraRecipe recipe = task.transform().lora();
        StudyMatrices.Single built = StudyMatrices.single(model, Path.of(recipe.adapter()), recipe.quantization(),
                new MatrixRecipe(m.name(), recipe.kind(), recipe.truncates() ? task.rank() : 0), linearAlgebra);
        Path file = artifacts.resolve(task.outputPath());
        new SafetensorsWriter(file).put(m.name(), m.dtype(), new long[] {m.rows(), m.cols()},
                DenseMatrix.fromFloats(m.rows(), m.cols(), built.values()).data()).write();
        long bytes = m.elementCount() * m.dtype().byteSize();
        return ReductionResult.completed(task, new ReductionOutput(new Overlay(m.name(),
                List.of(tensorRef(task.outputPath(), file, m.name()))), task.truncates() ? task.rank() : m.minDim(), 0.0,
                built.energyKept(), bytes, bytes, 0.01, linearAlgebra.name()));
    }

    public EvaluationResult evaluate(EvaluationTask task) {
        if (task.calibrates()) {
            return calibrate(task);
        }
        DecoderWeights base = weights(task.modelPath());
        WindowPlan plan = plans.computeIfAbsent(task.modelPath() + "|" + task.evaluation(), k -> plan(task));
        PerplexityEvaluator evaluator = evaluators.computeIfAbsent(task.modelPath() + "|" + task.evaluation() + "|"
                + task.shard(), k -> {
            int end = task.shard().end() == null ? plan.windows().size() : task.shard().end();
            PerplexityEvaluator e = new PerplexityEvaluator(base, plan.range(task.shard().first(), end), 2, 64L << 20);
            e.anchor(base.baseState(), EvalProgress.NONE);
            return e;
        });
        ModelState state = base.baseState();
        for (Overlay overlay : task.overlays()) {
            state = state.with(overlay.replaces(), values(overlay));
        }
        PartialSums sums = evaluator.score(state, EvalProgress.NONE).sums();
        return EvaluationResult.completed(task, new EvaluationOutput(new EvaluationSums(sums.nllSum(), sums.tokens(),
                sums.windows(), sums.windowMeanSum()), plan.windows().size(), 0.01, 1000.0, "cpu"));
    }

    /** A calibration shard: core's {@link CalibrationPass} over the shard's windows, stored as the evaluator stores it. */
    private EvaluationResult calibrate(EvaluationTask task) {
        ModelSource model = model(task.modelPath());
        WindowPlan all;
        try (TextTokenizer tokenizer = TextTokenizer.load(Path.of(task.modelPath()))) {
            all = Evaluation.plan(model.decoderConfig(), tokenizer, List.of(Path.of(task.calibration().text())),
                    task.calibration().windowProtocol());
        }
        int total = all.windows().size();
        int end = task.shard().end() == null ? total : Math.min(task.shard().end(), total);
        WindowPlan shard = all.range(task.shard().first(), end);
        String path = "jobs/" + task.jobId() + "/calibration/shards/" + task.shard().first() + "-" + end;
        CalibrationPass.run(weights(task.modelPath()), shard, task.matrices().stream()
                .map(model.catalogue()::byName).toList(), artifacts.resolve(path), CALIBRATION_THREADS,
                CalibrationPass.Progress.NONE);
        return EvaluationResult.completed(task, new EvaluationOutput(null, total, 0.01, 1000.0, "cpu", null,
                new CalibrationShard(path, shard.windows().size())));
    }

    /** An overlay's values as the evaluators take them: dense as stored, factors multiplied out. */
    private float[] values(Overlay overlay) {
        List<float[]> tensors = new ArrayList<>();
        for (TensorRef ref : overlay.tensors()) {
            try (SafetensorsFile file = SafetensorsFile.open(ref.file(artifacts))) {
                tensors.add(file.readFloats(ref.tensor()));
            }
        }
        if (tensors.size() == 1) {
            return tensors.getFirst();
        }
        List<Long> left = overlay.tensors().getFirst().shape();
        int rows = Math.toIntExact(left.get(0));
        int k = Math.toIntExact(left.get(1));
        return new LowRankFactors(DenseMatrix.fromFloats(rows, k, tensors.get(0)),
                DenseMatrix.fromFloats(k, tensors.get(1).length / k, tensors.get(1))).productAsFloats();
    }

    private WindowPlan plan(EvaluationTask task) {
        ModelSource model = model(task.modelPath());
        try (TextTokenizer tokenizer = TextTokenizer.load(Path.of(task.modelPath()))) {
            return Evaluation.plan(model.decoderConfig(), tokenizer,
                    task.evaluation().texts().stream().map(Path::of).toList(),
                    MergedPerplexity.protocol(task.evaluation()));
        }
    }

    private ModelSource model(String path) {
        return models.computeIfAbsent(path, p -> ModelSource.open(Path.of(p)));
    }

    private DecoderWeights weights(String path) {
        return weights.computeIfAbsent(path, p -> {
            ModelSource model = model(p);
            return DecoderWeights.bind(model.decoderConfig(), model.tensors());
        });
    }

    private static MatrixRef ref(ModelSource model, MatrixId id) {
        return model.catalogue().byName(id.tensor());
    }

    /** A reference to {@code tensor} of an artifact file as a worker sends it: dtype, shape and SHA-256 of its bytes. */
    public static TensorRef tensorRef(String path, Path file, String tensor) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            var info = f.info(tensor);
            List<Long> shape = java.util.Arrays.stream(info.shape()).boxed().toList();
            return new TensorRef(path, tensor, info.dtype(), shape, sha256(f.bytes(tensor)));
        }
    }

    static String sha256(MemorySegment bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes.asByteBuffer());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        evaluators.values().forEach(PerplexityEvaluator::close);
        models.values().forEach(ModelSource::close);
    }
}
