package dev.lasermesh.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The interceptor, found as {@code serve}'s application finds it (ServiceLoader), hides exactly the settings of
 * the channels bound to Kafka — whatever the source and however the connector is written — and nothing else.
 */
class InProcessChannelsTest {

    private static final Map<String, String> JARS = Map.of(
            "mp.messaging.incoming.analysis-tasks.connector", "smallrye-kafka",
            "mp.messaging.incoming.analysis-tasks.topic", "lasermesh.analysis-tasks",
            "mp.messaging.incoming.analysis-tasks.group.id", "lasermesh-analyzer",
            "mp.messaging.outgoing.analysis-results.connector", "${mesh.connector}",
            "mp.messaging.outgoing.analysis-results.value.serializer", "org.apache.kafka.common.serialization.StringSerializer",
            "mesh.connector", "smallrye-kafka",
            "mp.messaging.incoming.audit.connector", "smallrye-in-memory",
            "mp.messaging.incoming.audit.buffer", "8",
            "mp.messaging.connector.smallrye-kafka.key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
            "smallrye.messaging.worker.lasermesh-analyzer.max-concurrency", "1");

    private final SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
            .addDiscoveredInterceptors().withSources(new PropertiesConfigSource(JARS, "jar", 250)).build();

    @Test
    void theSettingsOfKafkaChannelsAreGone() {
        assertEquals(Optional.empty(), config.getOptionalValue("mp.messaging.incoming.analysis-tasks.connector", String.class));
        assertEquals(Optional.empty(), config.getOptionalValue("mp.messaging.incoming.analysis-tasks.topic", String.class));
        assertEquals(Optional.empty(), config.getOptionalValue("mp.messaging.outgoing.analysis-results.value.serializer",
                String.class));
    }

    @Test
    void everythingElseIsLeftAsItWas() {
        Set<String> names = new TreeSet<>();
        config.getPropertyNames().forEach(names::add);
        assertEquals(new TreeSet<>(Set.of("mesh.connector", "mp.messaging.incoming.audit.connector",
                "mp.messaging.incoming.audit.buffer", "mp.messaging.connector.smallrye-kafka.key.serializer",
                "smallrye.messaging.worker.lasermesh-analyzer.max-concurrency")), names);
        assertEquals("smallrye-in-memory", config.getValue("mp.messaging.incoming.audit.connector", String.class));
        assertEquals(8, config.getValue("mp.messaging.incoming.audit.buffer", Integer.class));
        assertTrue(config.getOptionalValue("mp.messaging.connector.smallrye-kafka.key.serializer", String.class).isPresent());
    }
}
