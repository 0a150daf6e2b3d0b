package dev.lasermesh.testkit;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresServerTest {

    @Test
    void servesAFreshEmptyDatabaseOverJdbc() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
             Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement statement = connection.createStatement()) {
            ResultSet row = statement.executeQuery(
                    "SELECT current_database(), (SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'), 6 * 7");
            assertTrue(row.next());
            assertEquals(PostgresServer.DATABASE, row.getString(1));
            assertEquals(0, row.getLong(2));
            assertEquals(42, row.getInt(3));
        }
    }
}
