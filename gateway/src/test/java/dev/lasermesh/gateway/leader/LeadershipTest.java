package dev.lasermesh.gateway.leader;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leader election through PostgreSQL's advisory lock, against a real server: one gateway of several
 * leads, the lead passes on when the leader stops, and a leader whose session the server ended (a crash
 * or a cut connection look the same to PostgreSQL) steps down and a follower takes over.
 */
class LeadershipTest {

    /** A hang guard for the terminated backend's exit (milliseconds normally); not a time bound. */
    private static final long TERMINATION_GUARD_MILLIS = 60_000;

    private static PostgresServer postgres;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    private static Leadership gateway() {
        return new Leadership(postgres.jdbcUrl(), Optional.of(postgres.username()), Optional.of(postgres.password()));
    }

    @Test
    void oneOfTwoLeadsAndTheLeadPassesWhenTheLeaderStops() {
        Leadership first = gateway();
        Leadership second = gateway();
        try {
            assertTrue(first.leads(), "the first to ask leads");
            assertFalse(second.leads(), "a second gateway follows while the first leads");
            assertTrue(first.leads(), "the leader keeps the lead when asked again");
            first.stop(null);
            assertTrue(second.leads(), "the follower takes the lead once the leader stopped");
            assertFalse(first.leads(), "the old leader, asking again, follows");
        } finally {
            first.stop(null);
            second.stop(null);
        }
    }

    @Test
    void aLeaderWhoseSessionEndedStepsDown() throws SQLException {
        Leadership first = gateway();
        Leadership second = gateway();
        try {
            assertTrue(first.leads());
            assertFalse(second.leads());
            terminateLockHolder();
            assertTrue(second.leads(), "the lock was released with the leader's session");
            assertFalse(first.leads(), "the old leader notices its session is gone and follows");
        } finally {
            first.stop(null);
            second.stop(null);
        }
    }

    /**
     * Ends the session holding the lead, as the server does when its client's connection drops, and waits
     * until its backend has exited: without a timeout {@code pg_terminate_backend} only signals the backend,
     * and the lock is released when the process ends, which a follower asking at once could beat.
     */
    private static void terminateLockHolder() throws SQLException {
        String sql = "select pg_terminate_backend(pid, ?) from pg_locks where locktype = 'advisory' and objid = ? "
                + "and classid = ? and granted";
        try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             PreparedStatement terminate = admin.prepareStatement(sql)) {
            terminate.setLong(1, TERMINATION_GUARD_MILLIS);
            terminate.setLong(2, Leadership.LOCK_KEY & 0xFFFFFFFFL);
            terminate.setLong(3, Leadership.LOCK_KEY >>> 32);
            try (ResultSet ended = terminate.executeQuery()) {
                assertTrue(ended.next(), "a session holds the lead");
                assertTrue(ended.getBoolean(1), "the leader's backend ended within the guard");
            }
        }
    }
}
