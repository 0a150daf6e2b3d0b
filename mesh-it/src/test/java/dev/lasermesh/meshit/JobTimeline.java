package dev.lasermesh.meshit;

import dev.lasermesh.contracts.Topics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One finished mesh job's timeline: when it was submitted and finished, and the {@link TaskTiming} of each
 * of its tasks, read from the job store and the task and result topics after the job ended. The stages
 * of a one-shot job run one after the other (analyses, then reductions), so its wall time is
 * <pre>
 *   planning + Σ stage walls + assembly
 * </pre>
 * with the gaps between stages inside the stage walls (the first task of a stage is planned when the
 * gateway commits the last result of the stage before).
 *
 * @param submitted when the gateway accepted the job
 * @param finished  when it ended
 * @param tasks     its completed tasks
 */
record JobTimeline(Instant submitted, Instant finished, List<TaskTiming> tasks) {

    JobTimeline {
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a job timeline needs at least one task");
        }
    }

    /** The task types' topics and worker groups. */
    private enum Stage {
        ANALYSIS(Topics.ANALYSIS_TASKS, Topics.ANALYSIS_RESULTS, Mesh.ANALYZER_GROUP),
        REDUCTION(Topics.REDUCTION_TASKS, Topics.REDUCTION_RESULTS, Mesh.REDUCER_GROUP),
        EVALUATION(Topics.EVALUATION_TASKS, Topics.EVALUATION_RESULTS, Mesh.EVALUATOR_GROUP);

        final String tasks;
        final String results;
        final String group;

        Stage(String tasks, String results, String group) {
            this.tasks = tasks;
            this.results = results;
            this.group = group;
        }
    }

    /** Reads the timeline of {@code jobId}, which has ended, from the mesh's job store and broker. */
    static JobTimeline read(Mesh mesh, String jobId) {
        String prefix = jobId + "/";
        List<TaskTiming> timings = new ArrayList<>();
        try (Connection db = mesh.database()) {
            Instant submitted;
            Instant finished;
            try (PreparedStatement q = db.prepareStatement("select submitted, finished from jobs where id = ?")) {
                q.setString(1, jobId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next() || rs.getTimestamp(2) == null) {
                        throw new IllegalStateException("job " + jobId + " is not in the store or has not ended");
                    }
                    submitted = rs.getTimestamp(1).toInstant();
                    finished = rs.getTimestamp(2).toInstant();
                }
            }
            for (Stage stage : Stage.values()) {
                timings.addAll(stageTasks(mesh, db, jobId, prefix, stage));
            }
            return new JobTimeline(submitted, finished, timings);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the tasks of job " + jobId + ": " + e.getMessage(), e);
        }
    }

    private static List<TaskTiming> stageTasks(Mesh mesh, Connection db, String jobId, String prefix, Stage stage)
            throws SQLException {
        List<TaskTiming> timings = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("select task_id, created, finished, seconds from tasks "
                + "where job_id = ? and type = ? and status = 'DONE' order by created")) {
            q.setString(1, jobId);
            q.setString(2, stage.name());
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.isBeforeFirst()) {
                    return timings;
                }
                Map<String, Mesh.RecordPlace> sent = mesh.lastRecords(stage.tasks, prefix);
                Map<String, Mesh.RecordPlace> answered = mesh.lastRecords(stage.results, prefix);
                Map<Integer, String> owners = mesh.partitionOwners(stage.group);
                while (rs.next()) {
                    String id = rs.getString(1);
                    Mesh.RecordPlace task = require(sent, id, stage.tasks);
                    Mesh.RecordPlace result = require(answered, id, stage.results);
                    timings.add(new TaskTiming(id, stage.name(), owners.getOrDefault(task.partition(), "partition "
                            + task.partition()), rs.getTimestamp(2).toInstant(), task.timestamp(), result.timestamp(),
                            rs.getTimestamp(3).toInstant(), rs.getDouble(4)));
                }
            }
        }
        return timings;
    }

    private static Mesh.RecordPlace require(Map<String, Mesh.RecordPlace> records, String taskId, String topic) {
        Mesh.RecordPlace place = records.get(taskId);
        if (place == null) {
            throw new IllegalStateException("task " + taskId + " has no record on " + topic);
        }
        return place;
    }

    /** The job's wall time, submitted → ended. */
    double wallSeconds() {
        return TaskTiming.between(submitted, finished);
    }

    /** Submitted → first task planned: the gateway's checks and planning of the job. */
    double planningSeconds() {
        return TaskTiming.between(submitted, tasks.stream().map(TaskTiming::created).min(Comparator.naturalOrder())
                .orElseThrow());
    }

    /** Last task's result committed → job ended: the gateway's assembly of the output model. */
    double assemblySeconds() {
        return TaskTiming.between(tasks.stream().map(TaskTiming::finished).max(Comparator.naturalOrder())
                .orElseThrow(), finished);
    }

    /** The costs of each stage, in the order the stages ran. */
    Map<String, StageCosts> stages() {
        return StageCosts.byType(tasks);
    }
}
