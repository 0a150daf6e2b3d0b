package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.MatrixId;
import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.task.MethodCell;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.contracts.task.ReductionTransform;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.calibrate.MethodStudy;
import dev.lasermesh.core.calibrate.MethodTruncation;
import dev.lasermesh.core.calibrate.ReductionMethod;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.TaskEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The methods study of a job (DESIGN §7.4, issue 14), {@code lasermesh study methods} on the mesh, run after
 * the calibration stage and the analyses: for each method (svd, whitened, feature) and budget r, every
 * selected matrix is a reduction task whose transform carries a {@link MethodCell} — the reducer builds W_k
 * of rank ⌊r·m·n/(m+n)⌋ ({@link MethodStudy#rank}) with core's {@link MethodStudy#cell} on the merged
 * calibration statistics and records its errors — and each cell, like the base model, an evaluation
 * request ({@link StudyRequests}) scored in window shards. Once all are scored, core's
 * {@link MethodStudy#row} makes each row from the cell's perplexity and its matrices' errors, and the job
 * keeps the {@link MethodStudy.Report} as its table and ends with it: the study's product is the table.
 *
 * <p>A matrix decomposed at several budgets is decomposed by each of its tasks (the standalone decomposes
 * it once per method): the tasks are independent, so they spread over the reducers.
 */
@ApplicationScoped
public class MethodsStudyStage {

    /** The variant of the uncompressed model. */
    static final String BASE = "base";

    private final TaskDispatcher dispatcher;
    private final JobLifecycle lifecycle;
    private final StudyRequests requests;

    @Inject
    public MethodsStudyStage(TaskDispatcher dispatcher, JobLifecycle lifecycle, StudyRequests requests) {
        this.dispatcher = dispatcher;
        this.lifecycle = lifecycle;
        this.requests = requests;
    }

    /** Plans the base request and every method × budget cell's reductions and request. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void begin(JobEntity job, JobSpec spec) {
        List<MatrixRef> selected;
        try (ModelSource model = ModelSource.open(Path.of(spec.model()))) {
            selected = model.catalogue().select(spec.matrices().layers(), spec.matrices().modules());
        } catch (InvalidInputException e) {
            lifecycle.fail(job, "study methods: " + e.getMessage());
            return;
        }
        requests.plan(job, BASE, List.of());
        String statistics = CalibrationStage.statistics(job.id);
        for (ReductionMethod method : ReductionMethod.values()) {
            ReductionTransform transform = new ReductionTransform(new MethodCell(method.cliName(), statistics));
            for (double budget : spec.study().budgets()) {
                List<String> tasks = new ArrayList<>();
                for (MatrixRef m : selected) {
                    tasks.add(dispatcher.reduction(job.id, spec.model(), new MatrixId(m.name(), m.layer(), m.module()),
                            MethodStudy.rank(m, budget), OutputForm.DENSE, transform).taskId);
                }
                requests.plan(job, variant(method, budget), tasks);
            }
        }
        lifecycle.moveTo(job, JobStatus.STUDYING);
        requests.reductionDone(job);
    }

    /** Every cell is scored: the table goes to the job, which ends with it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void finish(JobEntity job, JobSpec spec, Map<String, Double> perplexities) {
        List<MethodStudy.Row> rows = new ArrayList<>();
        Map<String, String> spectra = new LinkedHashMap<>();
        for (ReductionMethod method : ReductionMethod.values()) {
            spectra.put(method.cliName(), method.spectrum());
            for (double budget : spec.study().budgets()) {
                String variant = variant(method, budget);
                rows.add(MethodStudy.row(method, budget, perplexities.get(variant), errors(job, variant)));
            }
        }
        double base = perplexities.get(BASE);
        job.study = Json.write(new MethodStudy.Report(spec.model(), spec.calibration().text(),
                spec.evaluation().texts(), new MethodStudy.Result(base, spectra, rows)));
        job.baselinePerplexity = base;
        lifecycle.succeed(job, null);
    }

    /** {@code whitened-r0.6}: the variant (and request) name of a cell. */
    static String variant(ReductionMethod method, double budget) {
        return String.format(Locale.ROOT, "%s-r%s", method.cliName(), budget);
    }

    /** The errors the reducers recorded for a cell's matrices, in the order planned. */
    private static List<MethodTruncation.MatrixErrors> errors(JobEntity job, String variant) {
        return StudyRequests.reductions(job, variant).stream()
                .map(id -> Json.read(TaskEntity.byId(id).orElseThrow().output, ReductionOutput.class).methodErrors())
                .toList();
    }
}
