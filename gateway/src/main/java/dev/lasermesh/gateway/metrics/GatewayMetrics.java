package dev.lasermesh.gateway.metrics;

import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.gateway.store.TaskType;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's Prometheus metrics ({@code /q/metrics}): {@code lasermesh_jobs{status}} (jobs in each
 * status, refreshed from the job store every few seconds), {@code lasermesh_tasks_total{type,outcome}}
 * (results taken: succeeded, failed, retried, duplicate) and {@code lasermesh_task_seconds{type}} (the
 * workers' seconds per task, as they report them).
 */
@ApplicationScoped
@Startup
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final Map<JobStatus, AtomicLong> jobs = new EnumMap<>(JobStatus.class);

    @Inject
    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (JobStatus status : JobStatus.values()) {
            AtomicLong count = new AtomicLong();
            jobs.put(status, count);
            Gauge.builder("lasermesh.jobs", count, AtomicLong::get).description("Jobs in each status")
                    .tag("status", status.name()).register(registry);
        }
    }

    /** A result of a task of {@code type} was taken with {@code outcome}. */
    public void taskResult(TaskType type, TaskOutcome outcome) {
        registry.counter("lasermesh.tasks", "type", label(type), "outcome", outcome.label()).increment();
    }

    /** A worker spent {@code seconds} on a task of {@code type}. */
    public void taskSeconds(TaskType type, double seconds) {
        Timer.builder("lasermesh.task").description("Worker seconds per task, as the workers report them")
                .tag("type", label(type)).register(registry).record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    @Scheduled(every = "5s", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refreshJobCounts() {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> Panache.getEntityManager()
                .createQuery("select j.status, count(j) from JobEntity j group by j.status", Object[].class)
                .getResultList());
        jobs.values().forEach(c -> c.set(0));
        rows.forEach(r -> jobs.get((JobStatus) r[0]).set((Long) r[1]));
    }

    private static String label(TaskType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    /** What became of a task result. */
    public enum TaskOutcome {
        SUCCEEDED, FAILED, RETRIED, DUPLICATE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
