package dev.lasermesh.gateway.store;

import dev.lasermesh.contracts.job.JobProgress;
import dev.lasermesh.contracts.job.StageProgress;
import io.quarkus.hibernate.orm.panache.Panache;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Task counts of a job per stage, counted from the tasks table (the one place they are recorded, so
 * the counts cannot drift from the tasks): total = tasks planned, done, failed.
 */
public final class ProgressQuery {

    private ProgressQuery() {
    }

    /** The counts of job {@code jobId}. */
    public static JobProgress of(String jobId) {
        List<Object[]> rows = Panache.getEntityManager()
                .createQuery("select t.type, t.status, count(t) from TaskEntity t where t.jobId = :job"
                        + " group by t.type, t.status", Object[].class)
                .setParameter("job", jobId).getResultList();
        Map<TaskType, int[]> counts = new EnumMap<>(TaskType.class);
        for (TaskType type : TaskType.values()) {
            counts.put(type, new int[3]);
        }
        for (Object[] row : rows) {
            int[] c = counts.get((TaskType) row[0]);
            int n = ((Long) row[2]).intValue();
            c[0] += n;
            if (row[1] == TaskStatus.DONE) {
                c[1] += n;
            } else if (row[1] == TaskStatus.FAILED) {
                c[2] += n;
            }
        }
        return new JobProgress(stage(counts.get(TaskType.ANALYSIS)), stage(counts.get(TaskType.REDUCTION)),
                stage(counts.get(TaskType.EVALUATION)));
    }

    private static StageProgress stage(int[] c) {
        return new StageProgress(c[0], c[1], c[2]);
    }
}
