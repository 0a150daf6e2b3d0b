package dev.lasermesh.gateway.assembly;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.SearchCandidates;
import dev.lasermesh.core.calibrate.MethodTruncation;
import dev.lasermesh.core.calibrate.ReductionMethod;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.search.Replacement;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.Split;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.config.InputRoots;
import dev.lasermesh.gateway.leader.Leadership;
import dev.lasermesh.gateway.orchestrator.CalibrationStage;
import dev.lasermesh.gateway.orchestrator.JobLifecycle;
import dev.lasermesh.gateway.orchestrator.MergedPerplexity;
import dev.lasermesh.gateway.orchestrator.SearchDriver;
import dev.lasermesh.gateway.orchestrator.TaskEvaluations;
import dev.lasermesh.gateway.store.EvaluationEntity;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.MatrixEntity;
import dev.lasermesh.gateway.store.RequestStatus;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.gateway.store.TaskStatus;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the assembly of jobs that reached {@link JobStatus#ASSEMBLING}: right after the transaction that
 * moved them there commits, and — for a gateway that stopped mid-assembly or missed the trigger —
 * whenever the periodic check finds an assembling job that is not being assembled. Writing the output
 * can take long for a big model, so it runs on its own thread, outside any transaction; the job is
 * then marked {@code SUCCEEDED} (or {@code FAILED} with the reason, which names the step that failed,
 * an {@link OutOfMemoryError} included: a job must never stay assembling) in a short transaction, unless
 * it was cancelled meanwhile. Only the leading gateway assembles ({@link Leadership}), so two gateways never
 * write one output folder at once; a job that another gateway moved to assembling is found by the leader's
 * periodic check. Assembling twice (after a restart) writes the same output again, replacing it whole.
 */
@ApplicationScoped
public class AssemblyRunner {

    private final GatewayConfig config;
    private final InputRoots roots;
    private final JobLifecycle lifecycle;
    private final Leadership leadership;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "lasermesh-assembly"));
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    @Inject
    public AssemblyRunner(GatewayConfig config, InputRoots roots, JobLifecycle lifecycle, Leadership leadership) {
        this.config = config;
        this.roots = roots;
        this.lifecycle = lifecycle;
        this.leadership = leadership;
    }

    void requested(@Observes(during = TransactionPhase.AFTER_SUCCESS) AssemblyRequested request) {
        submit(request.jobId());
    }

    @Scheduled(every = "10s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void resumeAssemblies() {
        if (!leadership.leads()) {
            return;
        }
        List<String> assembling = QuarkusTransaction.requiringNew().call(() -> JobEntity
                .<JobEntity>list("status", JobStatus.ASSEMBLING).stream().map(j -> j.id).toList());
        assembling.forEach(this::submit);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    private void submit(String jobId) {
        if (leadership.leads() && running.add(jobId)) {
            executor.execute(() -> {
                try {
                    assemble(jobId);
                } finally {
                    running.remove(jobId);
                }
            });
        }
    }

    /** Writes the output of {@code jobId} and ends the job; returns quietly when it is not assembling. */
    void assemble(String jobId) {
        Optional<OutputAssembler.Input> input = QuarkusTransaction.requiringNew().call(() -> input(jobId));
        if (input.isEmpty()) {
            return;
        }
        String failure = null;
        try {
            new OutputAssembler(new ArtifactTensors(config.artifacts()), roots.models()).write(input.get());
        } catch (RuntimeException | OutOfMemoryError e) {
            Log.errorf(e, "job %s: assembling the output failed", jobId);
            failure = "assembling the output failed: " + AssemblyFailure.describe(e);
        }
        String reason = failure;
        QuarkusTransaction.requiringNew().run(() -> finish(jobId, input.get(), reason));
    }

    private Optional<OutputAssembler.Input> input(String jobId) {
        JobEntity job = JobEntity.findById(jobId);
        if (job == null || job.status != JobStatus.ASSEMBLING) {
            return Optional.empty();
        }
        JobSpec spec = job.jobSpec();
        List<MatrixAnalysis> analyses = MatrixEntity.ofJob(jobId).stream().map(MatrixEntity::analysis).toList();
        Optional<SearchOutcome> outcome = SearchDriver.outcome(job);
        List<MatrixAnalysis> reported = outcome
                .map(o -> SearchCandidates.accepted(o, analyses.stream().filter(MatrixAnalysis::succeeded).toList()))
                .orElse(analyses);
        Map<String, ReductionOutput> reductions = new LinkedHashMap<>();
        for (MatrixAnalysis a : reported) {
            if (ReducedModelWriter.replaces(a)) {
                String taskId = TaskIds.reduction(jobId, a.matrix().name(), spec.output(),
                        a.summary().orElseThrow().decision().k());
                TaskEntity.byId(taskId).filter(t -> t.status == TaskStatus.DONE)
                        .ifPresent(t -> reductions.put(a.matrix().name(), Json.read(t.output, ReductionOutput.class)));
            }
        }
        Map<String, Object> perplexity = outcome.map(o -> TaskEvaluations.scoresTask(spec)
                ? TaskEvaluations.report(jobId, spec, o) : perplexity(jobId, spec, job.totalWindows, o)).orElse(null);
        RankPolicySpec policy = spec.policy() == null ? RankPolicySpec.named(LaserRmtPolicy.NAME) : spec.policy();
        return Optional.of(new OutputAssembler.Input(Path.of(spec.model()), outputFolder(jobId), policy,
                spec.output(), reported, reductions, outcome.orElse(null), perplexity, method(jobId, spec, reductions)));
    }

    /** A calibrated method's report section from the errors the reducers recorded; null for W's own SVD. */
    private MethodTruncation.Report method(String jobId, JobSpec spec, Map<String, ReductionOutput> reductions) {
        if (!CalibrationStage.calibrates(spec)) {
            return null;
        }
        Map<String, MethodTruncation.MatrixErrors> errors = new LinkedHashMap<>();
        reductions.forEach((tensor, r) -> errors.put(tensor, r.methodErrors()));
        return MethodTruncation.report(ReductionMethod.parse(spec.method()),
                config.artifacts().resolve(CalibrationStage.statistics(jobId)).toString(), errors);
    }

    /**
     * The report's {@code perplexity} object, as {@code lasermesh run} writes it: a split strategy's
     * {@code before}/{@code after} are the report split's, and the search split's follow.
     */
    private static Map<String, Object> perplexity(String jobId, JobSpec spec, int windows, SearchOutcome outcome) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("protocol", MergedPerplexity.protocol(spec.evaluation()).protocol().cliName());
        p.put("window", spec.evaluation().window());
        p.put("windows", windows);
        p.put("split", outcome.split().label());
        p.put("before", outcome.baselinePerplexity());
        p.put("after", outcome.finalPerplexity());
        searchSplitBaseline(jobId).ifPresent(base -> {
            p.put("search_split", Split.VALIDATION.label());
            p.put("search_before", base);
            p.put("search_after", outcome.searchSplitFinal(base));
        });
        return p;
    }

    /** The base model's perplexity on the search split; empty for a search on all windows. */
    private static Optional<Double> searchSplitBaseline(String jobId) {
        return EvaluationEntity.<EvaluationEntity>list("jobId = ?1 and split = ?2 and status = ?3", jobId,
                        Split.VALIDATION.label(), RequestStatus.DONE).stream()
                .filter(e -> Json.read(e.replacements, Replacement[].class).length == 0)
                .map(e -> e.perplexity).findFirst();
    }

    private void finish(String jobId, OutputAssembler.Input input, String failure) {
        Optional<JobEntity> locked = JobEntity.lock(jobId);
        if (locked.isEmpty() || locked.get().status != JobStatus.ASSEMBLING) {
            return;
        }
        JobEntity job = locked.get();
        if (failure != null) {
            lifecycle.fail(job, failure);
            return;
        }
        input.reductions().forEach((tensor, reduction) ->
                MatrixEntity.of(jobId, tensor).orElseThrow().reduction = Json.write(reduction));
        lifecycle.succeed(job, outputPath(jobId));
    }

    /** The output folder of a job, relative to the artifact store: {@code jobs/<job>/model}. */
    public static String outputPath(String jobId) {
        return "jobs/" + jobId + "/model";
    }

    private Path outputFolder(String jobId) {
        return config.artifacts().resolve(outputPath(jobId));
    }
}
