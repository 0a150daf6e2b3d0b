package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.contracts.task.TaskIds;
import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.search.Candidate;
import dev.lasermesh.core.search.EvaluationRequest;
import dev.lasermesh.core.search.EvaluationResult;
import dev.lasermesh.core.search.Replacement;
import dev.lasermesh.core.search.SearchMachine;
import dev.lasermesh.core.search.SearchOutcome;
import dev.lasermesh.core.search.SearchSnapshot;
import dev.lasermesh.core.search.SearchSpec;
import dev.lasermesh.core.search.TraceEntry;
import dev.lasermesh.gateway.assembly.ArtifactTensors;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.store.EvaluationEntity;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.MatrixEntity;
import dev.lasermesh.gateway.store.RequestStatus;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.gateway.store.TaskStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Drives a job's search — core's {@link SearchMachine} — from evaluation results, the way the package
 * documentation of {@code core.search} sketches a gateway: on every change it restores the machine from
 * the job's snapshot, records what arrived, issues requests for the free evaluator capacity and stores
 * the new snapshot, all in the transaction that took the result. A restart of the gateway therefore
 * resumes from the stored snapshot, the stored requests and the outbox.
 *
 * <p>Capacity: at most {@code lasermesh.evaluation.parallel-requests} requests of a job are in flight
 * (waiting for reductions or running), counting requests a later decision made useless while their
 * shards still run, as the driver sketch counts every started evaluation. Each request is cut into
 * {@code lasermesh.evaluation.shards} window shards, sent once the reductions of its replacements are
 * done, with those reduced (dense) tensors as overlays; the shards' exact sums give its perplexity
 * ({@link MergedPerplexity}). An encoder job scored by {@code knn-accuracy} on a task compares accuracies
 * (higher is better) and shards by examples; its merge, and the test scores after the search, are
 * {@link TaskEvaluations}'.
 */
@ApplicationScoped
public class SearchDriver {

    private final TaskDispatcher dispatcher;
    private final JobLifecycle lifecycle;
    private final JobEvents events;
    private final OutputStage output;
    private final StudyStage study;
    private final GatewayConfig config;

    @Inject
    public SearchDriver(TaskDispatcher dispatcher, JobLifecycle lifecycle, JobEvents events, OutputStage output,
                        StudyStage study, GatewayConfig config) {
        this.dispatcher = dispatcher;
        this.lifecycle = lifecycle;
        this.events = events;
        this.output = output;
        this.study = study;
        this.config = config;
    }

    /**
     * Starts the search of a job whose analyses are done: the dense reductions of every state the search
     * may reach go out at once, then the first requests.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void start(JobEntity job, JobSpec spec, SearchSpec search) {
        for (Replacement r : SearchSpecs.replacementsToReduce(search)) {
            MatrixEntity matrix = MatrixEntity.of(job.id, r.matrix()).orElseThrow();
            dispatcher.reduction(job.id, spec, matrix.id(), r.rank(), OutputForm.DENSE);
        }
        lifecycle.moveTo(job, spec.strategy().searches() ? JobStatus.SEARCHING : JobStatus.EVALUATING);
        advance(job, spec, SearchMachine.start(search, TaskEvaluations.direction(spec)));
    }

    /** A reduction finished: requests that waited for it may go out now. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reductionDone(JobEntity job) {
        JobSpec spec = job.jobSpec();
        for (EvaluationEntity request : EvaluationEntity.inStatus(job.id, RequestStatus.WAITING)) {
            sendIfReady(job, spec, request);
        }
    }

    /**
     * A shard of {@code requestId} finished: once all have, its perplexity (or a task's accuracy) goes to
     * the search; a task job's test requests after the search lead to the output once both are done.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void shardDone(JobEntity job, String requestId) {
        EvaluationEntity request = EvaluationEntity.of(job.id, requestId).orElseThrow();
        List<TaskEntity> shards = TaskEntity.ofRequest(job.id, requestId);
        if (request.status != RequestStatus.RUNNING || shards.stream().anyMatch(t -> t.status != TaskStatus.DONE)) {
            return;
        }
        JobSpec spec = job.jobSpec();
        if (TaskEvaluations.scoresTask(spec)) {
            try {
                TaskEvaluations.complete(request, shards, spec.evaluation(), new ArtifactTensors(config.artifacts()));
            } catch (InvalidInputException e) {
                lifecycle.fail(job, "evaluation " + requestId + ": " + e.getMessage());
                return;
            }
            if (TaskEvaluations.isTest(requestId)) {
                testDone(job, spec);
                return;
            }
        } else {
            MergedPerplexity.complete(request, shards, spec.evaluation());
        }
        SearchMachine machine = restore(job);
        if (machine.isDone()) {
            return;
        }
        record(job, machine, requestId, request.perplexity);
        advance(job, spec, machine);
    }

    /** Both test requests of a task job are done: the output follows, as after a perplexity search. */
    private void testDone(JobEntity job, JobSpec spec) {
        if (TaskEvaluations.testScore(job.id, TaskEvaluations.TEST_BEFORE).isPresent()
                && TaskEvaluations.testScore(job.id, TaskEvaluations.TEST_AFTER).isPresent()) {
            SearchOutcome outcome = restore(job).outcome();
            output.begin(job, spec, OutputStage.kept(job, outcome.accepted().stream().map(Candidate::replacement)
                    .toList()));
        }
    }

    /** The search's decisions so far, in order (empty before the search starts). */
    public static List<TraceEntry> trace(JobEntity job) {
        return job.search == null ? List.of() : restore(job).trace();
    }

    /** The finished search's outcome, when the job searched and the search is done. */
    public static Optional<SearchOutcome> outcome(JobEntity job) {
        if (job.search == null) {
            return Optional.empty();
        }
        SearchMachine machine = restore(job);
        return machine.isDone() ? Optional.of(machine.outcome()) : Optional.empty();
    }

    private static SearchMachine restore(JobEntity job) {
        return SearchMachine.restore(Json.read(job.search, SearchSnapshot.class));
    }

    private void record(JobEntity job, SearchMachine machine, String requestId, double perplexity) {
        int decided = machine.trace().size();
        machine.record(new EvaluationResult(requestId, perplexity));
        List<TraceEntry> trace = machine.trace();
        for (TraceEntry entry : trace.subList(decided, trace.size())) {
            events.candidateEvaluated(job.id, entry);
        }
    }

    /**
     * Makes every move the machine allows: drops waiting requests it no longer wants, issues requests
     * for the free capacity (a request answered before, stored as done, is recorded at once), stores
     * the snapshot, and ends the search when the machine is done.
     */
    private void advance(JobEntity job, JobSpec spec, SearchMachine machine) {
        boolean recorded = true;
        while (recorded && !machine.isDone()) {
            dropUnwanted(job, machine);
            int free = config.evaluation().parallelRequests() - (int) EvaluationEntity.inFlight(job.id);
            recorded = false;
            for (EvaluationRequest request : machine.issue(Math.max(0, free))) {
                Optional<EvaluationEntity> known = EvaluationEntity.of(job.id, request.id());
                if (known.isPresent() && known.get().status == RequestStatus.DONE) {
                    record(job, machine, request.id(), known.get().perplexity);
                    recorded = true;
                } else {
                    sendIfReady(job, spec, known.orElseGet(() -> stored(job, request)));
                }
            }
        }
        dropUnwanted(job, machine);
        job.search = Json.write(machine.snapshot());
        if (machine.isDone()) {
            finish(job, spec, machine.outcome());
        }
    }

    private static void dropUnwanted(JobEntity job, SearchMachine machine) {
        Set<String> wanted = machine.outstanding().stream().map(EvaluationRequest::id).collect(Collectors.toSet());
        for (EvaluationEntity request : EvaluationEntity.inStatus(job.id, RequestStatus.WAITING)) {
            if (!wanted.contains(request.requestId)) {
                request.status = RequestStatus.DROPPED;
            }
        }
    }

    private EvaluationEntity stored(JobEntity job, EvaluationRequest request) {
        EvaluationEntity e = new EvaluationEntity();
        e.jobId = job.id;
        e.requestId = request.id();
        e.split = request.split().label();
        e.replacements = Json.write(request.replacements());
        e.issued = (int) EvaluationEntity.issuedCount(job.id);
        if (TaskEvaluations.scoresTask(job.jobSpec())) {
            int[] examples = TaskEvaluations.examples(request.split(), TaskEvaluations.folder(job.jobSpec().evaluation()));
            e.firstWindow = examples[0];
            e.endWindow = examples[1];
        } else {
            e.firstWindow = request.firstWindow(job.totalWindows);
            e.endWindow = request.endWindow(job.totalWindows);
        }
        e.status = RequestStatus.WAITING;
        e.persist();
        return e;
    }

    /**
     * The test request {@code requestId} of a task job (the base model, or every accepted candidate), on
     * all of the task's examples; stored once.
     */
    private EvaluationEntity storedTest(JobEntity job, String requestId, List<Replacement> replacements) {
        return EvaluationEntity.of(job.id, requestId).orElseGet(() -> {
            EvaluationEntity e = new EvaluationEntity();
            e.jobId = job.id;
            e.requestId = requestId;
            e.split = TaskEvaluations.TEST_SPLIT;
            e.replacements = Json.write(replacements);
            e.issued = (int) EvaluationEntity.issuedCount(job.id);
            e.firstWindow = 0;
            e.endWindow = job.totalWindows;
            e.status = RequestStatus.WAITING;
            e.persist();
            return e;
        });
    }

    /** Sends the request's shards once every replacement's dense reduction is done. */
    private void sendIfReady(JobEntity job, JobSpec spec, EvaluationEntity request) {
        List<Overlay> overlays = new ArrayList<>();
        for (Replacement r : Json.read(request.replacements, Replacement[].class)) {
            Optional<TaskEntity> reduction = TaskEntity.byId(TaskIds.reduction(job.id, r.matrix(), OutputForm.DENSE,
                    r.rank()));
            if (reduction.isEmpty() || reduction.get().status != TaskStatus.DONE) {
                request.status = RequestStatus.WAITING;
                return;
            }
            overlays.add(Json.read(reduction.get().output, ReductionOutput.class).overlay());
        }
        List<WindowShard> shards = TaskEvaluations.scoresTask(spec)
                ? TaskEvaluations.cut(request.firstWindow, request.endWindow,
                        TaskEvaluations.folder(spec.evaluation()).train().size(), config.evaluation().shards())
                : WindowShards.cut(request.firstWindow, request.endWindow, config.evaluation().shards());
        for (WindowShard shard : shards) {
            dispatcher.evaluation(job.id, request.requestId, spec.model(), overlays, spec.evaluation(), shard);
        }
        request.status = RequestStatus.RUNNING;
    }

    /**
     * The search is done: its perplexities go to the job, then the job's study (when it asks for one) or
     * the output; a task job first scores the base and the final model on test, once each.
     */
    private void finish(JobEntity job, JobSpec spec, SearchOutcome outcome) {
        job.baselinePerplexity = outcome.baselinePerplexity();
        job.finalPerplexity = outcome.finalPerplexity();
        if (TaskEvaluations.scoresTask(spec)) {
            List<Replacement> accepted = outcome.accepted().stream().map(Candidate::replacement).toList();
            for (EvaluationEntity test : List.of(storedTest(job, TaskEvaluations.TEST_BEFORE, List.of()),
                    storedTest(job, TaskEvaluations.TEST_AFTER, accepted))) {
                if (test.status == RequestStatus.WAITING) {
                    sendIfReady(job, spec, test);
                }
            }
        } else if (spec.study() != null) {
            study.begin(job, spec);
        } else {
            output.begin(job, spec, OutputStage.kept(job, outcome.accepted().stream().map(Candidate::replacement)
                    .toList()));
        }
    }
}
