package dev.lasermesh.gateway.outbox;

import dev.lasermesh.contracts.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The gateway's outgoing channels, one per topic it writes (channel name = topic name without the
 * {@code lasermesh.} prefix; the topic itself is set in {@code application.properties}).
 */
@ApplicationScoped
public class TopicEmitters {

    /** Room for one full outbox round (lasermesh.outbox.batch-size) per channel. */
    private static final long BUFFER = 4096;

    private final Map<String, MutinyEmitter<String>> byTopic;

    @Inject
    public TopicEmitters(
            @Channel("analysis-tasks") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
            MutinyEmitter<String> analysisTasks,
            @Channel("reduction-tasks") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
            MutinyEmitter<String> reductionTasks,
            @Channel("evaluation-tasks") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
            MutinyEmitter<String> evaluationTasks,
            @Channel("job-events") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER)
            MutinyEmitter<String> jobEvents) {
        this.byTopic = Map.of(Topics.ANALYSIS_TASKS, analysisTasks, Topics.REDUCTION_TASKS, reductionTasks,
                Topics.EVALUATION_TASKS, evaluationTasks, Topics.JOB_EVENTS, jobEvents);
    }

    /**
     * The emitter of {@code topic}.
     *
     * @throws IllegalArgumentException for a topic the gateway does not write
     */
    public MutinyEmitter<String> forTopic(String topic) {
        MutinyEmitter<String> emitter = byTopic.get(topic);
        if (emitter == null) {
            throw new IllegalArgumentException("the gateway does not publish to topic " + topic);
        }
        return emitter;
    }
}
