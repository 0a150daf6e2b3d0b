package dev.lasermesh.gateway.job;

import dev.lasermesh.contracts.TaskFailure;
import dev.lasermesh.contracts.job.JobError;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.job.JobTimings;
import dev.lasermesh.contracts.job.JobView;
import dev.lasermesh.contracts.job.MatrixView;
import dev.lasermesh.core.search.TraceEntry;
import dev.lasermesh.gateway.orchestrator.SearchDriver;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.MatrixEntity;
import dev.lasermesh.gateway.store.ProgressQuery;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.gateway.store.TaskStatus;
import dev.lasermesh.gateway.store.TaskType;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The REST views of stored jobs (docs/contracts.md: job view, matrix view, candidate view). */
@ApplicationScoped
@Transactional
public class JobViews {

    /** The job view. */
    public JobView job(String id) {
        return view(find(id));
    }

    /** The newest jobs first, optionally only those in {@code status}. */
    public List<JobView> jobs(JobStatus status, int limit) {
        Sort newest = Sort.descending("submitted");
        List<JobEntity> jobs = status == null ? JobEntity.<JobEntity>findAll(newest).page(Page.ofSize(limit)).list()
                : JobEntity.<JobEntity>find("status", newest, status).page(Page.ofSize(limit)).list();
        return jobs.stream().map(this::view).toList();
    }

    /** Every selected matrix of the job, in catalogue order. */
    public List<MatrixView> matrices(String id) {
        find(id);
        Map<String, TaskEntity> failedReductions = failedReductions(id);
        return MatrixEntity.ofJob(id).stream().map(m -> matrixView(m, failedReductions)).toList();
    }

    /** One matrix of the job. */
    public MatrixView matrix(String id, String tensor) {
        find(id);
        MatrixEntity m = MatrixEntity.of(id, tensor)
                .orElseThrow(() -> new JobNotFoundException("job " + id + " has no matrix " + tensor));
        return matrixView(m, failedReductions(id));
    }

    /** The search's decisions so far, in order. */
    public List<TraceEntry> candidates(String id) {
        return SearchDriver.trace(find(id));
    }

    /** The output folder of a finished job, relative to the artifact store. */
    public String output(String id) {
        JobEntity job = find(id);
        if (job.status != JobStatus.SUCCEEDED) {
            throw new JobConflictException("job " + id + " has no report: it is " + job.status
                    + " (the report is written when the job succeeds)");
        }
        return job.output;
    }

    /** The study table (core's report JSON) of a job that ended with it instead of an output model. */
    public String studyTable(String id) {
        JobEntity job = find(id);
        if (job.study == null) {
            throw new JobConflictException("job " + id + " has no report: it wrote neither an output model nor a study "
                    + "table");
        }
        return job.study;
    }

    private static JobEntity find(String id) {
        JobEntity job = JobEntity.findById(id);
        if (job == null) {
            throw new JobNotFoundException("no job " + id);
        }
        return job;
    }

    private JobView view(JobEntity job) {
        JobTimings timings = new JobTimings(job.submitted, job.started, job.finished, job.analysisSeconds,
                job.reductionSeconds, job.evaluationSeconds);
        List<JobError> errors = new ArrayList<>();
        TaskEntity.<TaskEntity>list("jobId = ?1 and status = ?2 order by finished, taskId", job.id, TaskStatus.FAILED)
                .forEach(t -> errors.add(new JobError(t.taskId, t.failure)));
        if (job.status == JobStatus.FAILED && job.failure != null) {
            errors.add(new JobError(null, job.failure));
        }
        return new JobView(job.id, job.status, job.jobSpec(), ProgressQuery.of(job.id), timings, errors,
                job.baselinePerplexity, job.finalPerplexity, job.output);
    }

    private static Map<String, TaskEntity> failedReductions(String jobId) {
        return TaskEntity.ofJob(jobId, TaskType.REDUCTION).stream().filter(t -> t.status == TaskStatus.FAILED)
                .collect(Collectors.toMap(t -> t.tensor, Function.identity(), (a, b) -> a));
    }

    private static MatrixView matrixView(MatrixEntity m, Map<String, TaskEntity> failedReductions) {
        TaskFailure failure = m.failure != null ? new TaskFailure(m.failure, false)
                : failedReductions.containsKey(m.tensor) ? new TaskFailure(failedReductions.get(m.tensor).failure, false)
                : null;
        return new MatrixView(m.id(), m.summary().orElse(null), m.reductionOutput().orElse(null), failure);
    }
}
