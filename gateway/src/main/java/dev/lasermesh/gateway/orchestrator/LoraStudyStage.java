package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.job.StudySpec;
import dev.lasermesh.contracts.task.LoraRecipe;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.task.ReductionTransform;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.analysis.AnalysisReport;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.lora.AdaptedMatrix;
import dev.lasermesh.core.lora.BaseWeights;
import dev.lasermesh.core.lora.LaserChoice;
import dev.lasermesh.core.lora.LoraAdapter;
import dev.lasermesh.core.lora.LoraOrderStudy;
import dev.lasermesh.core.lora.LoraStudyReport;
import dev.lasermesh.core.lora.MatrixRecipe;
import dev.lasermesh.core.lora.StudyMatrices;
import dev.lasermesh.core.lora.StudyVariant;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.TaskEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The LoRA/LASER order study of a job (DESIGN §7.3, issue 10), {@code lasermesh study lora} on the mesh,
 * run right after the analyses. The gateway plans what core's {@link LoraOrderStudy} plans: one-shot LASER
 * with the job's policy on its selected matrices, of W for the base side and of the stored W' for the
 * merged side, and the five variants (base, LASER, merged, LoRA→LASER, LASER→LoRA). Each matrix of a
 * variant is a reduction task whose transform carries its {@link LoraRecipe} (the reducer builds it with
 * core's {@code StudyMatrices}), each variant an evaluation request ({@link StudyRequests}) scored in
 * shards. Once all are scored the job keeps core's {@link LoraStudyReport} as its table and ends with it:
 * the study's product is the table, not a model folder.
 *
 * <p>The ranks of the table are read back from the planned tasks, so the finished job need not compute
 * a spectrum again.
 */
@ApplicationScoped
public class LoraStudyStage {

    private final TaskDispatcher dispatcher;
    private final JobLifecycle lifecycle;
    private final StudyRequests requests;

    @Inject
    public LoraStudyStage(TaskDispatcher dispatcher, JobLifecycle lifecycle, StudyRequests requests) {
        this.dispatcher = dispatcher;
        this.lifecycle = lifecycle;
        this.requests = requests;
    }

    /** Chooses the ranks on both sides and plans every variant's reductions and request. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void begin(JobEntity job, JobSpec spec) {
        StudySpec study = spec.study();
        LinearAlgebra linearAlgebra = LinearAlgebras.create(1);
        try (ModelSource model = ModelSource.open(Path.of(spec.model()));
             LoraAdapter adapter = LoraAdapter.open(Path.of(study.adapter()))) {
            BaseWeights weights = new BaseWeights(model, study.quantization());
            List<AdaptedMatrix> adapted = adapter.resolve(model);
            StudyMatrices matrices = new StudyMatrices(weights, adapter, adapted, linearAlgebra);
            List<MatrixRef> selected = model.catalogue().select(spec.matrices().layers(), spec.matrices().modules());
            LaserChoice laser = LoraOrderStudy.oneShot(selected, matrices, spec.policy().toPolicy(), linearAlgebra);
            for (StudyVariant variant : variants(weights, adapted, laser)) {
                List<String> tasks = new ArrayList<>();
                for (MatrixRecipe recipe : variant.recipes()) {
                    MatrixRef m = model.catalogue().byName(recipe.matrix());
                    tasks.add(dispatcher.reduction(job.id, spec.model(), new MatrixId(m.name(), m.layer(), m.module()),
                            recipe.rank(), OutputForm.DENSE, new ReductionTransform(new LoraRecipe(study.adapter(),
                                    study.quantization(), recipe.kind()))).taskId);
                }
                requests.plan(job, variant.name(), tasks);
            }
        } catch (InvalidInputException e) {
            lifecycle.fail(job, "study lora: " + e.getMessage());
            return;
        }
        lifecycle.moveTo(job, JobStatus.STUDYING);
        requests.reductionDone(job);
    }

    /** Every variant is scored: the table goes to the job, which ends with it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void finish(JobEntity job, JobSpec spec, Map<String, Double> perplexities) {
        StudySpec study = spec.study();
        LaserChoice laser = new LaserChoice(ranks(job, LoraOrderStudy.LASER), ranks(job, LoraOrderStudy.LORA_THEN_LASER),
                "one-shot " + spec.policy().toPolicy().name());
        List<StudyVariant> variants;
        try (ModelSource model = ModelSource.open(Path.of(spec.model()));
             LoraAdapter adapter = LoraAdapter.open(Path.of(study.adapter()))) {
            variants = variants(new BaseWeights(model, study.quantization()), adapter.resolve(model), laser);
        } catch (InvalidInputException e) {
            lifecycle.fail(job, "study lora: " + e.getMessage());
            return;
        }
        String column = spec.evaluation().texts().stream().map(t -> Path.of(t).getFileName().toString())
                .collect(Collectors.joining(" + "));
        List<LoraStudyReport.VariantResult> rows = variants.stream().map(v -> new LoraStudyReport.VariantResult(
                v.name(), v.description(), Map.of(column, perplexities.get(v.name())))).toList();
        job.study = Json.write(new LoraStudyReport(spec.model(), study.adapter(), study.baseQuant(),
                AnalysisReport.policyView(spec.policy()), protocol(spec.evaluation(), job.totalWindows), laser,
                List.of(column), rows));
        job.baselinePerplexity = perplexities.get(LoraOrderStudy.BASE);
        lifecycle.succeed(job, null);
    }

    /** Core's variants of the study, as {@code study lora} builds them. */
    private static List<StudyVariant> variants(BaseWeights weights, List<AdaptedMatrix> adapted, LaserChoice laser) {
        return LoraOrderStudy.variants(weights.changed().stream().map(MatrixRef::name).toList(),
                adapted.stream().map(a -> a.matrix().name()).toList(), laser);
    }

    /** The ranks a variant truncates to, by matrix, in the order planned (read back from its tasks). */
    private static Map<String, Integer> ranks(JobEntity job, String variant) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (String taskId : StudyRequests.reductions(job, variant)) {
            ReductionTask task = Json.read(TaskEntity.byId(taskId).orElseThrow().payload, ReductionTask.class);
            if (task.truncates()) {
                ranks.put(task.matrix().tensor(), task.rank());
            }
        }
        return ranks;
    }

    /** The protocol as {@code study lora} reports it, with the window count. */
    private static Map<String, Object> protocol(EvaluationSpec evaluation, int windows) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("protocol", evaluation.protocol());
        view.put("window", evaluation.window());
        if (evaluation.maxTokens() != null) {
            view.put("max_tokens", evaluation.maxTokens());
        }
        view.put("windows", windows);
        return view;
    }
}
