package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.core.calibrate.MethodStudy;
import dev.lasermesh.core.spectrum.EsdScale;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import dev.lasermesh.core.study.StudyResult;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.gateway.job.JobConflictException;
import dev.lasermesh.gateway.job.JobNotFoundException;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.MatrixEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.file.Path;

/** Reads what the dashboard's charts need from the job store. */
@ApplicationScoped
@Transactional
public class DashboardViews {

    /**
     * The ESD chart of an analysed matrix.
     *
     * @throws JobNotFoundException  for an unknown job or a matrix the job did not select
     * @throws JobConflictException  when the matrix has not been analysed (yet, or its analysis failed)
     */
    public SpectrumChart spectrum(String jobId, String tensor, int bins, EsdScale scale) {
        JobEntity job = job(jobId);
        MatrixEntity matrix = MatrixEntity.of(jobId, tensor)
                .orElseThrow(() -> new JobNotFoundException("job " + jobId + " has no matrix " + tensor));
        if (matrix.failure != null) {
            throw new JobConflictException("matrix " + tensor + " of job " + jobId + " has no spectrum: its analysis"
                    + " failed: " + matrix.failure);
        }
        SpectrumSummary summary = matrix.summary().orElseThrow(() -> new JobConflictException(
                "matrix " + tensor + " of job " + jobId + " has not been analysed yet"));
        SingularSpectrum spectrum = new SingularSpectrum(summary.singularValues(), summary.rows(), summary.cols());
        return SpectrumChart.of(tensor, spectrum, job.jobSpec().policy(), bins, scale);
    }

    /** The compression table of a job's output so far (every matrix whole until the output is assembled). */
    public CompressionTable compression(String jobId) {
        job(jobId);
        return CompressionTable.of(MatrixEntity.ofJob(jobId).stream()
                .map(m -> new MatrixFootprint(m.module, m.rows, m.cols, DType.valueOf(m.dtype),
                        m.reductionOutput().orElse(null)))
                .toList());
    }

    /**
     * The files of a succeeded job's output folder.
     *
     * @throws JobConflictException when the job has not succeeded
     */
    public OutputListing output(String jobId, Path artifacts) {
        JobEntity job = job(jobId);
        if (job.status != JobStatus.SUCCEEDED) {
            throw new JobConflictException("job " + jobId + " has no output model: it is " + job.status
                    + " (the output is written when the job succeeds)");
        }
        if (job.output == null) {
            throw new JobConflictException("job " + jobId + " has no output model: a study with given LASER ranks "
                    + "ends with its table");
        }
        return OutputListing.of(artifacts, job.output);
    }

    /**
     * The bytes-vs-perplexity chart of a job's quantization study.
     *
     * @throws JobConflictException when the job has no quantization study, or its study has not scored every
     *                              variant yet
     */
    public StudyChart study(String jobId) {
        JobEntity job = job(jobId);
        if (job.jobSpec().study() == null) {
            throw new JobConflictException("job " + jobId + " runs no study");
        }
        if (job.jobSpec().study().lora()) {
            throw new JobConflictException("job " + jobId + " runs the LoRA study; its table is at /api/v1/jobs/"
                    + jobId + "/lora");
        }
        if (job.jobSpec().study().methods()) {
            throw new JobConflictException("job " + jobId + " runs the methods study; its chart is at /api/v1/jobs/"
                    + jobId + "/methods");
        }
        return StudyChart.of(Json.read(scored(job), StudyResult.class));
    }

    /**
     * The perplexity-vs-budget chart of a job's methods study.
     *
     * @throws JobConflictException when the job has no methods study, or its study has not scored every cell yet
     */
    public MethodsChart methods(String jobId) {
        JobEntity job = job(jobId);
        if (job.jobSpec().study() == null || !job.jobSpec().study().methods()) {
            throw new JobConflictException("job " + jobId + " runs no methods study");
        }
        return MethodsChart.of(Json.read(scored(job), MethodStudy.Report.class));
    }

    /** The study table of a job whose study has scored every variant. */
    private static String scored(JobEntity job) {
        if (job.study == null) {
            throw new JobConflictException("the study of job " + job.id + " has not scored every variant yet ("
                    + job.status + ")");
        }
        return job.study;
    }

    private static JobEntity job(String id) {
        JobEntity job = JobEntity.findById(id);
        if (job == null) {
            throw new JobNotFoundException("no job " + id);
        }
        return job;
    }
}
