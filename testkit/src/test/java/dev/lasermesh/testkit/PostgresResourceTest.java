package dev.lasermesh.testkit;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresResourceTest {

    static final class SampleTest {
        PostgresServer postgres;
    }

    @Test
    void datasourceKeysReachTheDatabaseUntilStopped() throws Exception {
        PostgresResource resource = new PostgresResource();
        SampleTest sample = new SampleTest();
        Map<String, String> config;
        try {
            config = resource.start();
            assertEquals("postgresql", config.get("quarkus.datasource.db-kind"));
            try (Connection connection = connect(config)) {
                assertTrue(connection.isValid(5));
            }
            resource.inject(KafkaResourceTest.injectorInto(sample));
            assertEquals(config.get("quarkus.datasource.jdbc.url"), sample.postgres.jdbcUrl());
        } finally {
            resource.stop();
        }
        assertThrows(SQLException.class, () -> connect(config).close());
    }

    private static Connection connect(Map<String, String> config) throws SQLException {
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
    }
}
