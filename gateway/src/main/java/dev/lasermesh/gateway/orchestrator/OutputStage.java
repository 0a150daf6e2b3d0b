package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.OutputForm;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.core.search.Replacement;
import dev.lasermesh.gateway.store.JobEntity;
import dev.lasermesh.gateway.store.MatrixEntity;
import dev.lasermesh.gateway.store.TaskEntity;
import dev.lasermesh.gateway.store.TaskStatus;
import dev.lasermesh.gateway.store.TaskType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;

/**
 * The last stages of a job: the reductions its output needs, in the job's output form, then assembly.
 * Reductions already made for the search (dense, same rank) are the same tasks and are reused, so a
 * dense output goes straight to {@link JobStatus#ASSEMBLING}; a factored one (or a job without
 * evaluation) goes through {@link JobStatus#REDUCING} first.
 */
@ApplicationScoped
public class OutputStage {

    private final TaskDispatcher dispatcher;
    private final JobLifecycle lifecycle;

    @Inject
    public OutputStage(TaskDispatcher dispatcher, JobLifecycle lifecycle) {
        this.dispatcher = dispatcher;
        this.lifecycle = lifecycle;
    }

    /** Plans the output with {@code written}: the matrices replaced in it, each at its rank. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void begin(JobEntity job, JobSpec spec, List<Replacement> written) {
        List<TaskEntity> tasks = new ArrayList<>();
        for (Replacement r : written) {
            if (spec.output() == OutputForm.FACTORED && r.rank() == 0) {
                lifecycle.fail(job, "matrix " + r.matrix() + " is kept at rank 0, which the factored output cannot "
                        + "store (its factors would be empty); use the dense output");
                return;
            }
            MatrixEntity matrix = MatrixEntity.of(job.id, r.matrix()).orElseThrow();
            tasks.add(dispatcher.reduction(job.id, spec, matrix.id(), r.rank(), spec.output()));
        }
        if (tasks.stream().allMatch(t -> t.status == TaskStatus.DONE)) {
            lifecycle.startAssembly(job);
        } else {
            lifecycle.moveTo(job, JobStatus.REDUCING);
        }
    }

    /**
     * The matrices an output replaces among {@code accepted}: all but those at full rank, which are kept
     * as they are, as the standalone's writer keeps them.
     */
    static List<Replacement> kept(JobEntity job, List<Replacement> accepted) {
        return accepted.stream()
                .filter(r -> r.rank() < MatrixEntity.of(job.id, r.matrix()).orElseThrow().ref().minDim()).toList();
    }

    /** A reduction finished while the job was {@link JobStatus#REDUCING}: assemble once the output's are all done. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reductionDone(JobEntity job, JobSpec spec) {
        boolean pending = TaskEntity.ofJob(job.id, TaskType.REDUCTION).stream()
                .anyMatch(t -> t.form == spec.output() && t.status == TaskStatus.PENDING);
        if (!pending) {
            lifecycle.startAssembly(job);
        }
    }

    /**
     * Whether a reduction of {@code form} still matters to a job in {@code status}: every reduction
     * does while it searches or studies; while it reduces for the output, those of the output's form; once it
     * assembles, none (a late result of a candidate the search did not take).
     */
    public static boolean needed(JobStatus status, OutputForm form, JobSpec spec) {
        return switch (status) {
            case SEARCHING, EVALUATING, STUDYING -> true;
            case REDUCING -> form == spec.output();
            default -> false;
        };
    }
}
