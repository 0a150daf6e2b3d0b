package dev.lasermesh.gateway.store;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Optional;

/** A job as stored (table {@code jobs}); see {@code V1__job_store.sql}. */
@Entity
@Table(name = "jobs")
public class JobEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Enumerated(EnumType.STRING)
    public JobStatus status;

    /** The resolved job spec as contract JSON. */
    @Column(columnDefinition = "text")
    public String spec;

    public Instant submitted;
    public Instant started;
    public Instant finished;

    @Column(columnDefinition = "text")
    public String failure;

    @Column(name = "total_windows")
    public Integer totalWindows;

    /** Core's {@code SearchSnapshot} as JSON, once the search started. */
    @Column(columnDefinition = "text")
    public String search;

    /** Core's {@code StudyResult} as JSON, once the job's study has scored every variant. */
    @Column(columnDefinition = "text")
    public String study;

    @Column(name = "baseline_perplexity")
    public Double baselinePerplexity;

    @Column(name = "final_perplexity")
    public Double finalPerplexity;

    public String output;

    @Column(name = "analysis_seconds")
    public double analysisSeconds;

    @Column(name = "reduction_seconds")
    public double reductionSeconds;

    @Column(name = "evaluation_seconds")
    public double evaluationSeconds;

    @Version
    public long version;

    /** The resolved spec. */
    public JobSpec jobSpec() {
        return Json.read(spec, JobSpec.class);
    }

    /**
     * The job, locked for update until the transaction ends: the orchestrator handles one job's results
     * one at a time, whichever consumer thread they arrive on.
     */
    public static Optional<JobEntity> lock(String id) {
        return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_WRITE));
    }
}
