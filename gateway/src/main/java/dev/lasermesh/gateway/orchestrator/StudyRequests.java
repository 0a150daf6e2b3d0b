package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.contracts.task.WindowShard;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.store.EvaluationEntity;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.RequestStatus;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.gateway.store.TaskStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The evaluation requests of a job's study, whatever the study (quantization, {@link StudyStage}; LoRA
 * order, {@link LoraStudyStage}): one request per variant (split {@value #SPLIT}, id
 * {@code study/<variant>}) whose overlays are the outputs of its reduction tasks; once those are done
 * the request goes to the evaluators cut into window shards like a search candidate, and once every
 * shard has answered its perplexity is stored.
 */
@ApplicationScoped
public class StudyRequests {

    /** The split of a study's evaluation requests. */
    static final String SPLIT = "study";

    private final TaskDispatcher dispatcher;
    private final GatewayConfig config;

    @Inject
    public StudyRequests(TaskDispatcher dispatcher, GatewayConfig config) {
        this.dispatcher = dispatcher;
        this.config = config;
    }

    /** Stores the request of {@code variant}, the base model with the outputs of {@code reductions} overlaid. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void plan(JobEntity job, String variant, List<String> reductions) {
        EvaluationEntity request = new EvaluationEntity();
        request.jobId = job.id;
        request.requestId = SPLIT + "/" + variant;
        request.split = SPLIT;
        request.replacements = Json.write(reductions);
        request.issued = (int) EvaluationEntity.issuedCount(job.id);
        request.firstWindow = 0;
        request.endWindow = job.totalWindows;
        request.status = RequestStatus.WAITING;
        request.persist();
    }

    /** The reduction task ids of a variant's request. */
    static List<String> reductions(JobEntity job, String variant) {
        return List.of(Json.read(EvaluationEntity.of(job.id, SPLIT + "/" + variant).orElseThrow().replacements,
                String[].class));
    }

    /** A reduction finished: variants whose reductions are all done go out to the evaluators. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reductionDone(JobEntity job) {
        JobSpec spec = job.jobSpec();
        for (EvaluationEntity request : EvaluationEntity.inStatus(job.id, RequestStatus.WAITING)) {
            if (SPLIT.equals(request.split)) {
                sendIfReady(job, spec, request);
            }
        }
    }

    private void sendIfReady(JobEntity job, JobSpec spec, EvaluationEntity request) {
        List<Overlay> overlays = new ArrayList<>();
        for (String taskId : Json.read(request.replacements, String[].class)) {
            Optional<TaskEntity> reduction = TaskEntity.byId(taskId);
            if (reduction.isEmpty() || reduction.get().status != TaskStatus.DONE) {
                return;
            }
            overlays.add(Json.read(reduction.get().output, ReductionOutput.class).overlay());
        }
        for (WindowShard shard : WindowShards.cut(request.firstWindow, request.endWindow,
                config.evaluation().shards())) {
            dispatcher.evaluation(job.id, request.requestId, spec.model(), overlays, spec.evaluation(), shard);
        }
        request.status = RequestStatus.RUNNING;
    }

    /**
     * A shard of {@code requestId} finished: once all its shards have, the variant's perplexity is stored;
     * once every variant has one, their perplexities by variant name. Empty while any is missing, and for
     * a late shard of a search request.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Map<String, Double>> shardDone(JobEntity job, String requestId) {
        EvaluationEntity request = EvaluationEntity.of(job.id, requestId).orElseThrow();
        List<TaskEntity> shards = TaskEntity.ofRequest(job.id, requestId);
        if (!SPLIT.equals(request.split) || request.status != RequestStatus.RUNNING
                || shards.stream().anyMatch(t -> t.status != TaskStatus.DONE)) {
            return Optional.empty();
        }
        MergedPerplexity.complete(request, shards, job.jobSpec().evaluation());
        List<EvaluationEntity> variants = EvaluationEntity.<EvaluationEntity>list("jobId = ?1 and split = ?2",
                job.id, SPLIT);
        if (variants.stream().anyMatch(v -> v.status != RequestStatus.DONE)) {
            return Optional.empty();
        }
        Map<String, Double> perplexities = new LinkedHashMap<>();
        variants.forEach(v -> perplexities.put(v.requestId.substring(SPLIT.length() + 1), v.perplexity));
        return Optional.of(perplexities);
    }
}
