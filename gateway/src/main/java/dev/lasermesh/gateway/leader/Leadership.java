package dev.lasermesh.gateway.leader;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which of the gateways sharing one job store does the work that only one may do at a time: publishing
 * the outbox (one producer keeps each job's events and tasks in commit order) and assembling outputs (two
 * writers of one output folder would race). Every gateway serves the API and takes results, which are
 * safe side by side (each result is handled under its job's row lock and counted once per task id).
 *
 * <p>The leader is the gateway that holds PostgreSQL's session-level advisory lock {@value #LOCK_KEY} on a
 * connection of its own, outside the pool ({@code pg_try_advisory_lock}; PostgreSQL manual, "Advisory
 * Locks", §13.3.5). The server releases such a lock when the session ends, so a gateway that is killed or
 * cut off from the database loses the lead as soon as its connection is gone, and the next gateway that
 * asks takes it; no lease, clock or heartbeat table is needed. A leader checks its connection each time
 * it is asked, and steps down (and closes the connection, releasing the lock) when the check fails.
 */
@ApplicationScoped
public class Leadership {

    /** The advisory lock's key: "LASERMSH" read as eight ASCII bytes. */
    public static final long LOCK_KEY = 0x4C415345524D5348L;

    private static final int VALIDITY_CHECK_SECONDS = 2;

    private final String url;
    private final Optional<String> username;
    private final Optional<String> password;
    /** This gateway's own session, kept open whether it leads or not, so asking does not connect each time. */
    private Connection session;
    private boolean leading;

    @Inject
    public Leadership(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /**
     * Whether this gateway leads now: it holds the lock on a live session, or it has just taken it. One
     * round trip to the database when the answer does not change.
     */
    public synchronized boolean leads() {
        if (session != null && !alive(session)) {
            if (leading) {
                Log.warn("leadership: the lead's database session is gone; stepping down");
            }
            closeSession();
        }
        if (!leading) {
            leading = tryToLead();
        }
        return leading;
    }

    void stop(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (leading) {
                release();
            }
            closeSession();
        }
    }

    /**
     * Unlocks before the session closes, so a clean stop hands the lead on at once: after a close the
     * server releases the lock only when the session's backend process has ended, a moment after the
     * close returned, and a follower asking in that moment would still find the lock taken.
     */
    private void release() {
        try (PreparedStatement unlock = session.prepareStatement("select pg_advisory_unlock(?)")) {
            unlock.setLong(1, LOCK_KEY);
            unlock.executeQuery().close();
        } catch (SQLException e) {
            Log.debugf("leadership: unlocking before the stop failed (closing the session releases it): %s",
                    e.getMessage());
        }
    }

    private boolean tryToLead() {
        try {
            if (session == null) {
                session = DriverManager.getConnection(url, username.orElse(null), password.orElse(null));
            }
            try (PreparedStatement lock = session.prepareStatement("select pg_try_advisory_lock(?)")) {
                lock.setLong(1, LOCK_KEY);
                try (ResultSet rs = lock.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        Log.info("leadership: this gateway leads (publishes the outbox, assembles outputs)");
                        return true;
                    }
                }
            }
        } catch (SQLException e) {
            Log.debugf("leadership: cannot ask for the lead now: %s", e.getMessage());
            closeSession();
        }
        return false;
    }

    private static boolean alive(Connection connection) {
        try {
            return connection.isValid(VALIDITY_CHECK_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    private void closeSession() {
        leading = false;
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (SQLException e) {
            Log.debugf("leadership: closing the session failed: %s", e.getMessage());
        }
        session = null;
    }
}
