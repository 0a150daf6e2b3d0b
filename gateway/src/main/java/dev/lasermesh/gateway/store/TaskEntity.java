package dev.lasermesh.gateway.store;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.OutputForm;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A task sent to a worker (table {@code tasks}). Its id is the contract's task id, so results are
 * deduplicated by primary key: at-least-once delivery means a result may arrive twice, and only the
 * first one for a {@link TaskStatus#PENDING} task is used.
 */
@Entity
@Table(name = "tasks")
public class TaskEntity extends PanacheEntityBase {

    @Id
    @Column(name = "task_id")
    public String taskId;

    @Column(name = "job_id")
    public String jobId;

    @Enumerated(EnumType.STRING)
    public TaskType type;

    @Enumerated(EnumType.STRING)
    public TaskStatus status;

    public int attempts;

    /** The task message as contract JSON, resent on a retryable failure. */
    @Column(columnDefinition = "text")
    public String payload;

    /** The result's output as contract JSON, once done. */
    @Column(columnDefinition = "text")
    public String output;

    @Column(columnDefinition = "text")
    public String failure;

    public Double seconds;

    public String tensor;

    @Column(name = "rank")
    public Integer rank;

    @Enumerated(EnumType.STRING)
    public OutputForm form;

    @Column(name = "request_id")
    public String requestId;

    public Instant created;
    public Instant finished;

    /** A new pending task for {@code message}, sent once so far. */
    public static TaskEntity pending(TaskType type, String taskId, Message message, Instant now) {
        TaskEntity t = new TaskEntity();
        t.taskId = taskId;
        t.jobId = message.jobId();
        t.type = type;
        t.status = TaskStatus.PENDING;
        t.attempts = 1;
        t.payload = Json.write(message);
        t.created = now;
        return t;
    }

    /** A task by id. */
    public static Optional<TaskEntity> byId(String taskId) {
        return findByIdOptional(taskId);
    }

    /** The tasks of a job of one type, oldest first. */
    public static List<TaskEntity> ofJob(String jobId, TaskType type) {
        return list("jobId = ?1 and type = ?2 order by created, taskId", jobId, type);
    }

    /** Whether a job still waits for a task of {@code type}. */
    public static boolean anyPending(String jobId, TaskType type) {
        return count("jobId = ?1 and type = ?2 and status = ?3", jobId, type, TaskStatus.PENDING) > 0;
    }

    /** The shards of one evaluation request of a job. */
    public static List<TaskEntity> ofRequest(String jobId, String requestId) {
        return list("jobId = ?1 and requestId = ?2 order by taskId", jobId, requestId);
    }

    /** Ends every pending task of a job (the job was cancelled or failed): late results are ignored. */
    public static void cancelPending(String jobId, Instant now) {
        update("status = ?1, finished = ?2 where jobId = ?3 and status = ?4", TaskStatus.CANCELLED, now, jobId,
                TaskStatus.PENDING);
    }
}
