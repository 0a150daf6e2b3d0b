package dev.lasermesh.gateway.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * One evaluation request of a job's search (table {@code evaluations}): a model state on a split of the
 * windows, sent as shards, with the merged partial sums and the perplexity once every shard answered.
 */
@Entity
@Table(name = "evaluations")
public class EvaluationEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "job_id")
    public String jobId;

    @Column(name = "request_id")
    public String requestId;

    public String split;

    /** The model state: JSON list of core's {@code Replacement}s. */
    @Column(columnDefinition = "text")
    public String replacements;

    @Enumerated(EnumType.STRING)
    public RequestStatus status;

    /** Issue order within the job. */
    public int issued;

    @Column(name = "first_window")
    public int firstWindow;

    @Column(name = "end_window")
    public int endWindow;

    @Column(name = "nll_sum")
    public BigDecimal nllSum;

    public Long tokens;
    public Integer windows;

    @Column(name = "window_mean_sum")
    public BigDecimal windowMeanSum;

    public Double perplexity;

    /** A request of a job. */
    public static Optional<EvaluationEntity> of(String jobId, String requestId) {
        return find("jobId = ?1 and requestId = ?2", jobId, requestId).firstResultOptional();
    }

    /** A job's requests in one status, in issue order. */
    public static List<EvaluationEntity> inStatus(String jobId, RequestStatus status) {
        return list("jobId = ?1 and status = ?2 order by issued", jobId, status);
    }

    /** Requests of a job issued and not yet answered (waiting or running): the evaluator slots in use. */
    public static long inFlight(String jobId) {
        return count("jobId = ?1 and status in ?2", jobId, List.of(RequestStatus.WAITING, RequestStatus.RUNNING));
    }

    /** How many requests the job issued so far. */
    public static long issuedCount(String jobId) {
        return count("jobId", jobId);
    }
}
