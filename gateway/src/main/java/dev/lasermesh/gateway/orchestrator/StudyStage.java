package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.job.EvaluationSpec;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.task.ReductionTransform;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.quant.QuantScheme;
import dev.lasermesh.core.search.Replacement;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.study.LaserChoice;
import dev.lasermesh.core.study.LaserForm;
import dev.lasermesh.core.study.LaserMatrix;
import dev.lasermesh.core.study.QuantizationStudy;
import dev.lasermesh.core.study.StudyResult;
import dev.lasermesh.core.study.StudyVariant;
import dev.lasermesh.gateway.store.JobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The quantization study of a job (DESIGN §7.2, issue 9), run between its search and its output — or,
 * when the spec gives the LASER matrices and ranks, right after the analyses, without a search. The
 * given or accepted matrices and ranks are the LASER part; each of core's study variants
 * ({@link QuantizationStudy#variants()}) becomes an evaluation request ({@link StudyRequests}) whose
 * overlays are reduction tasks — plain truncations (shared with the search and the output) or ones whose
 * {@link ReductionTransform} quantizes — cut into window shards like a search candidate. Once every
 * variant is scored, core builds the table ({@link QuantizationStudy#result}) with its own byte counts and
 * the table goes to the job. After a search the output stage then starts as it would have without a
 * study; with given ranks the job ends there, its product being the table (the output assembly writes
 * a search's accepted matrices or, without a search, every matrix at its policy's rank, neither of
 * which is the study's LASER part).
 *
 * <p>A variant quantizes every linear matrix of the decoder layers (not only the job's selection), as
 * the standalone's {@code study quantization} does; matrices whose rows do not split into blocks of 32
 * are left out of a quantized variant's overlays, i.e. stay as stored.
 */
@ApplicationScoped
public class StudyStage {

    private final TaskDispatcher dispatcher;
    private final JobLifecycle lifecycle;
    private final OutputStage output;
    private final StudyRequests requests;
    private final LoraStudyStage lora;
    private final MethodsStudyStage methods;

    @Inject
    public StudyStage(TaskDispatcher dispatcher, JobLifecycle lifecycle, OutputStage output, StudyRequests requests,
                      LoraStudyStage lora, MethodsStudyStage methods) {
        this.dispatcher = dispatcher;
        this.lifecycle = lifecycle;
        this.output = output;
        this.requests = requests;
        this.lora = lora;
        this.methods = methods;
    }

    /** The LASER part of a job's study: the spec's matrices and ranks, or the search's accepted ones. */
    static LaserChoice laser(JobEntity job, JobSpec spec) {
        if (spec.study().laser() != null) {
            return new LaserChoice("the job's study.laser", spec.study().laser().stream()
                    .map(m -> new LaserMatrix(m.tensor(), m.rank())).toList());
        }
        SearchOutcome outcome = SearchDriver.outcome(job).orElseThrow();
        return new LaserChoice("the job's " + outcome.strategy() + " search", outcome.accepted().stream()
                .map(c -> new LaserMatrix(c.matrix(), c.rank())).toList());
    }

    /**
     * Plans every variant's reductions and requests: after the search, or after the analyses when the spec
     * gives the LASER part; a LoRA study is {@link LoraStudyStage}'s, a methods study {@link MethodsStudyStage}'s.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void begin(JobEntity job, JobSpec spec) {
        if (spec.study().lora()) {
            lora.begin(job, spec);
            return;
        }
        if (spec.study().methods()) {
            methods.begin(job, spec);
            return;
        }
        LaserChoice laser = laser(job, spec);
        Map<String, Integer> ranks = new LinkedHashMap<>();
        laser.matrices().forEach(m -> ranks.put(m.name(), m.rank()));
        List<MatrixRef> linears;
        try (ModelSource model = ModelSource.open(Path.of(spec.model()))) {
            linears = model.catalogue().defaultSelection();
        }
        for (StudyVariant variant : QuantizationStudy.variants()) {
            List<String> tasks = new ArrayList<>();
            for (MatrixRef m : linears) {
                Integer rank = variant.laser() == LaserForm.NONE ? null : ranks.get(m.name());
                Optional<String> task = reduction(job, spec, variant, m, rank);
                if (task.isEmpty() && rank != null) {
                    return;
                }
                task.ifPresent(tasks::add);
            }
            requests.plan(job, variant.name(), tasks);
        }
        lifecycle.moveTo(job, JobStatus.STUDYING);
        requests.reductionDone(job);
    }

    /**
     * The reduction task of {@code m} in {@code variant} (its id), or empty when the variant keeps the
     * matrix as stored — or when the matrix cannot be stored so (a factored rank 0), which fails the job.
     */
    private Optional<String> reduction(JobEntity job, JobSpec spec, StudyVariant variant, MatrixRef m, Integer rank) {
        Optional<QuantScheme> scheme = variant.scheme();
        MatrixId id = new MatrixId(m.name(), m.layer(), m.module());
        if (rank == null) {
            return scheme.isPresent() && QuantScheme.fits(m.cols())
                    ? Optional.of(dispatcher.reduction(job.id, spec.model(), id, 0, OutputForm.DENSE,
                            new ReductionTransform(false, scheme.get().cliName())).taskId)
                    : Optional.empty();
        }
        OutputForm form = variant.laser() == LaserForm.FACTORED ? OutputForm.FACTORED : OutputForm.DENSE;
        if (form == OutputForm.FACTORED && rank == 0) {
            lifecycle.fail(job, "study: matrix " + m.name() + " is kept at rank 0, which variant " + variant.name()
                    + " cannot store as factors");
            return Optional.empty();
        }
        ReductionTransform transform = scheme.map(s -> new ReductionTransform(true, s.cliName())).orElse(null);
        return Optional.of(dispatcher.reduction(job.id, spec.model(), id, rank, form, transform).taskId);
    }

    /** A reduction finished: variants whose reductions are all done go out to the evaluators. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reductionDone(JobEntity job) {
        requests.reductionDone(job);
    }

    /**
     * A shard of {@code requestId} finished: once every variant is scored ({@link StudyRequests#shardDone}),
     * the table goes to the job and the output starts (a LoRA study's table is {@link LoraStudyStage}'s, a methods
     * study's {@link MethodsStudyStage}'s).
     * A late shard of a search request is ignored.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void shardDone(JobEntity job, String requestId) {
        Optional<Map<String, Double>> scored = requests.shardDone(job, requestId);
        if (scored.isEmpty()) {
            return;
        }
        JobSpec spec = job.jobSpec();
        Map<String, Double> perplexities = scored.get();
        if (spec.study().lora()) {
            lora.finish(job, spec, perplexities);
            return;
        }
        if (spec.study().methods()) {
            methods.finish(job, spec, perplexities);
            return;
        }
        LaserChoice laser = laser(job, spec);
        if (job.baselinePerplexity == null) {
            job.baselinePerplexity = perplexities.get("base");
            job.finalPerplexity = perplexities.get("laser");
        }
        job.study = Json.write(table(spec, job.totalWindows, laser, perplexities));
        if (spec.study().laser() != null) {
            lifecycle.succeed(job, null);
        } else {
            output.begin(job, spec, OutputStage.kept(job, laser.matrices().stream()
                    .map(m -> new Replacement(m.name(), m.rank())).toList()));
        }
    }

    /** Core's table of the study with the evaluators' perplexities. */
    static StudyResult table(JobSpec spec, int windows, LaserChoice laser, Map<String, Double> perplexities) {
        EvaluationSpec evaluation = spec.evaluation();
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("protocol", evaluation.protocol());
        described.put("window", evaluation.window());
        described.put("windows", windows);
        described.put("texts", evaluation.texts());
        try (ModelSource model = ModelSource.open(Path.of(spec.model()))) {
            return new QuantizationStudy(model, laser, LinearAlgebras.create(1)).result(perplexities, described);
        }
    }
}
