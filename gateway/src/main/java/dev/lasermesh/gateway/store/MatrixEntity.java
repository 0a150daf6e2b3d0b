package dev.lasermesh.gateway.store;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import dev.lasermesh.core.tensor.DType;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;
import java.util.Optional;

/** One selected matrix of a job (table {@code matrices}): its analysis and, once written, its reduction. */
@Entity
@Table(name = "matrices")
public class MatrixEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "job_id")
    public String jobId;

    /** Position in the model's catalogue: the order analyses are listed and candidates are built in. */
    public int ordinal;

    public String tensor;
    public int layer;
    public String module;
    public int rows;
    public int cols;
    public String dtype;

    /** Core's {@link SpectrumSummary} as JSON once analysed. */
    @Column(columnDefinition = "text")
    public String spectrum;

    public String backend;

    @Column(name = "analysis_seconds")
    public Double analysisSeconds;

    /** Why its analysis failed. */
    @Column(columnDefinition = "text")
    public String failure;

    /** The {@link ReductionOutput} JSON of the tensor that replaced this matrix in the output. */
    @Column(columnDefinition = "text")
    public String reduction;

    /** A row for {@code ref} of job {@code jobId} at catalogue position {@code ordinal}. */
    public static MatrixEntity of(String jobId, int ordinal, MatrixRef ref) {
        MatrixEntity m = new MatrixEntity();
        m.jobId = jobId;
        m.ordinal = ordinal;
        m.tensor = ref.name();
        m.layer = ref.layer();
        m.module = ref.module();
        m.rows = ref.rows();
        m.cols = ref.cols();
        m.dtype = ref.dtype().name();
        return m;
    }

    /** The job's matrices in catalogue order. */
    public static List<MatrixEntity> ofJob(String jobId) {
        return list("jobId = ?1 order by ordinal", jobId);
    }

    /** One matrix of a job. */
    public static Optional<MatrixEntity> of(String jobId, String tensor) {
        return find("jobId = ?1 and tensor = ?2", jobId, tensor).firstResultOptional();
    }

    /** The matrix as core addresses it (no expert: the mesh plans families without experts). */
    public MatrixRef ref() {
        MatrixId id = id();
        return new MatrixRef(id.tensor(), id.layer(), id.module(), rows, cols, DType.valueOf(dtype));
    }

    /** The matrix as messages address it. */
    public MatrixId id() {
        return new MatrixId(tensor, layer, module);
    }

    /** The analysis's summary, when the matrix was analysed. */
    public Optional<SpectrumSummary> summary() {
        return Optional.ofNullable(spectrum).map(s -> Json.read(s, SpectrumSummary.class));
    }

    /**
     * The analysis as core's record (the method being the analyzer's backend); only for an analysed
     * matrix, whether it succeeded or failed.
     */
    public MatrixAnalysis analysis() {
        return new MatrixAnalysis(ref(), summary(), Optional.ofNullable(backend),
                analysisSeconds == null ? 0 : analysisSeconds, Optional.ofNullable(failure));
    }

    /** The written reduction, once the output holds one for this matrix. */
    public Optional<ReductionOutput> reductionOutput() {
        return Optional.ofNullable(reduction).map(r -> Json.read(r, ReductionOutput.class));
    }
}
