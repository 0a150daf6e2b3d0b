package dev.lasermesh.gateway.outbox;

import dev.lasermesh.contracts.Topics;
import dev.lasermesh.gateway.config.GatewayConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates the mesh's topics that do not exist yet when the gateway starts, with
 * {@code lasermesh.topics.partitions} partitions each (enough for several reducer and evaluator
 * instances in one consumer group), so the services do not depend on the broker's auto-creation. A
 * topic that appears meanwhile (a consumer's metadata request may create it) is left as it is.
 */
@ApplicationScoped
public class TopicCreator {

    void onStart(@Observes StartupEvent event, GatewayConfig config,
                 @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        if (config.topics().create()) {
            create(bootstrap, config.topics().partitions(), config.topics().replicationFactor());
        }
    }

    /** Creates the missing topics; a broker that cannot be reached is logged, not fatal (readiness tells). */
    static void create(String bootstrap, int partitions, short replication) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            Set<String> existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.MESSAGE_TYPES.keySet().stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, replication)).toList();
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
                try {
                    created.getValue().get(20, TimeUnit.SECONDS);
                    Log.infof("created topic %s with %d partitions", created.getKey(), partitions);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Log.warnf("could not create the mesh's topics at %s: %s", bootstrap, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
