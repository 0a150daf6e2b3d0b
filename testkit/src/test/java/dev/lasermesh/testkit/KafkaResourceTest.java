package dev.lasermesh.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager.TestInjector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaResourceTest {

    /** Stands in for a Quarkus test class: one field the resource must fill, one it must leave alone. */
    static final class SampleTest {
        KafkaBroker broker;
        String unrelated;
    }

    @Test
    void pointsBothKafkaClientKeysAtALiveBrokerAndInjectsIt() throws Exception {
        KafkaResource resource = new KafkaResource();
        SampleTest sample = new SampleTest();
        try {
            Map<String, String> config = resource.start();
            String bootstrap = config.get("kafka.bootstrap.servers");
            assertEquals(bootstrap, config.get("mp.messaging.connector.smallrye-kafka.bootstrap.servers"));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertEquals(1, admin.describeCluster().nodes().get().size());
            }
            resource.inject(injectorInto(sample));
            assertNotNull(sample.broker);
            assertNull(sample.unrelated);
            assertEquals(bootstrap, sample.broker.bootstrapServers());
            assertTrue(sample.broker.isRunning());
        } finally {
            resource.stop();
        }
        assertFalse(sample.broker.isRunning());
    }

    /** Does what Quarkus's own injector does: sets every field of the test instance that the predicate accepts. */
    static TestInjector injectorInto(Object testInstance) {
        return (value, predicate) -> {
            for (Field field : testInstance.getClass().getDeclaredFields()) {
                if (predicate.test(field)) {
                    try {
                        field.set(testInstance, value);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
    }
}
