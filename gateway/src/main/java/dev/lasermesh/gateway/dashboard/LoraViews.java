package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.lora.AdaptedMatrix;
import dev.lasermesh.core.lora.AdaptedMatrixSpectra;
import dev.lasermesh.core.lora.BaseWeights;
import dev.lasermesh.core.lora.LoraAdapter;
import dev.lasermesh.core.lora.LoraAnalyzer;
import dev.lasermesh.core.lora.LoraStudyReport;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.scan.SpectrumScanner;
import dev.lasermesh.gateway.job.JobConflictException;
import dev.lasermesh.gateway.job.JobNotFoundException;
import dev.lasermesh.gateway.store.JobEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The dashboard's LoRA and Spectrum views of a job, computed with core from the job's model (and
 * adapter) on request: these are spectra of whole matrices, which the job store does not keep. The job
 * is read in a short transaction of its own; the SVDs run outside it, on one thread.
 */
@ApplicationScoped
public class LoraViews {

    /**
     * What the fine-tune did to the job's selected matrices, and the order study's table when scored.
     *
     * @throws JobNotFoundException for an unknown job
     * @throws JobConflictException for a job without a LoRA study
     */
    public LoraChart lora(String jobId) {
        JobRead job = read(jobId);
        if (job.spec().study() == null || !job.spec().study().lora()) {
            throw new JobConflictException("job " + jobId + " runs no LoRA study");
        }
        JobSpec spec = job.spec();
        LinearAlgebra linearAlgebra = LinearAlgebras.create(1);
        try (ModelSource model = ModelSource.open(Path.of(spec.model()));
             LoraAdapter adapter = LoraAdapter.open(Path.of(spec.study().adapter()))) {
            Set<String> selected = model.catalogue().select(spec.matrices().layers(), spec.matrices().modules())
                    .stream().map(MatrixRef::name).collect(Collectors.toSet());
            BaseWeights weights = new BaseWeights(model, spec.study().quantization());
            LoraAnalyzer analyzer = new LoraAnalyzer(linearAlgebra, spec.policy().toPolicy());
            List<AdaptedMatrixSpectra> matrices = adapter.resolve(model).stream()
                    .filter(a -> selected.contains(a.matrix().name()))
                    .map((AdaptedMatrix a) -> analyzer.analyzeWithSpectra(weights, adapter, a)).toList();
            return new LoraChart(spec.study().adapter(), spec.study().baseQuant(), matrices,
                    job.study() == null ? null : Json.read(job.study(), LoraStudyReport.class));
        }
    }

    /**
     * Spectrum's scan of the job's model.
     *
     * @throws JobNotFoundException for an unknown job
     */
    public ScanChart scan(String jobId) {
        Path model = Path.of(read(jobId).spec().model());
        try (ModelSource source = ModelSource.open(model)) {
            return ScanChart.of(new SpectrumScanner(LinearAlgebras.create(1)).scan(source,
                    model.getFileName().toString(), (done, total, module) -> { }));
        }
    }

    private static JobRead read(String jobId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            JobEntity job = JobEntity.findById(jobId);
            if (job == null) {
                throw new JobNotFoundException("no job " + jobId);
            }
            return new JobRead(job.jobSpec(), job.study);
        });
    }

    private record JobRead(JobSpec spec, String study) {
    }
}
