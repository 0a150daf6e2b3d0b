package dev.lasermesh.gateway.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Topics;
import dev.lasermesh.contracts.job.JobEvent;
import dev.lasermesh.contracts.job.JobEventPayload;
import dev.lasermesh.gateway.leader.Leadership;
import dev.lasermesh.gateway.store.OutboxEntity;
import dev.lasermesh.testkit.KafkaBroker;
import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import dev.lasermesh.testkit.PostgresServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The outbox's guarantee against a real PostgreSQL and a real broker: a message is published iff the
 * transaction that wrote it committed; a committed row is sent, acknowledged and marked sent, also when
 * nothing woke the publisher (a row left by a gateway that died before sending it); one job's events
 * reach the broker in commit order and the server-sent-event stream after the broker's acknowledgement.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class OutboxTest {

    /**
     * How long a wait for something that normally takes milliseconds (a row sent, the lead taken, an event
     * streamed) may last before the test calls it hung: a hang guard far above a slow shared machine, not
     * a time bound.
     */
    private static final Duration HANG_GUARD = Duration.ofMinutes(5);

    /** How long a follower is watched for sending a row it must never send. */
    private static final Duration FOLLOWER_WATCH = Duration.ofSeconds(3);

    KafkaBroker broker;

    @Inject
    Outbox outbox;
    @Inject
    OutboxCleaner cleaner;

    @TestHTTPResource("/api/v1/jobs/events")
    URI events;
    @TestHTTPResource("/q/health/ready")
    URI readiness;
    PostgresServer postgres;

    private static JobEvent log(String jobId, String line) {
        return JobEvent.of(jobId, Instant.now(), new JobEventPayload.Log(JobEventPayload.Log.Level.INFO, line));
    }

    private static long rows(String key) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxEntity.count("key", key));
    }

    private static boolean allSent(String key, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (QuarkusTransaction.requiringNew().call(() -> OutboxEntity.count("key = ?1 and sent is null", key)) == 0) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void aRolledBackTransactionPublishesNothing() {
        String job = "j-" + UUID.randomUUID();
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            outbox.append(log(job, "written, then rolled back"));
            throw new IllegalStateException("the state change failed");
        }));
        assertEquals(0, rows(job));
    }

    @Test
    void appendingOutsideATransactionIsRefused() {
        assertThrows(RuntimeException.class, () -> outbox.append(log("j-none", "no transaction")));
    }

    @Test
    void committedEventsReachTheBrokerInCommitOrder() throws Exception {
        String job = "j-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            outbox.append(log(job, "first"));
            outbox.append(log(job, "second"));
        });
        QuarkusTransaction.requiringNew().run(() -> outbox.append(log(job, "third")));
        assertTrue(allSent(job, HANG_GUARD), "rows marked sent after the broker acknowledged them");
        assertEquals(List.of("first", "second", "third"), consume(job, 3));
    }

    /**
     * The stream carries events published after the client subscribed; since the test cannot see when
     * the subscription is in place, it commits an event every 300 ms until one arrives.
     */
    @Test
    void publishedEventsReachTheServerSentEventStream() throws Exception {
        String job = "j-" + UUID.randomUUID();
        CompletableFuture<List<String>> streamed = CompletableFuture.supplyAsync(() -> stream(job, 1));
        for (int i = 0; i < 100 && !streamed.isDone(); i++) {
            String line = "ping " + i;
            QuarkusTransaction.requiringNew().run(() -> outbox.append(log(job, line)));
            Thread.sleep(300);
        }
        List<String> lines = streamed.get(5, TimeUnit.SECONDS);
        assertTrue(lines.getFirst().contains("\"jobId\":\"" + job + "\"") && lines.getFirst().contains("ping "),
                lines.getFirst());
    }

    @Test
    void aRowThatNothingWokeThePublisherForIsSentByTheNextTick() throws Exception {
        String job = "j-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            OutboxEntity row = new OutboxEntity();
            row.topic = Topics.JOB_EVENTS;
            row.key = job;
            row.payload = Json.write(log(job, "left by a gateway that died before sending"));
            row.created = Instant.now();
            row.persist();
        });
        assertTrue(allSent(job, HANG_GUARD));
        assertEquals(List.of("left by a gateway that died before sending"), consume(job, 1));
    }

    @Test
    void sentRowsAreDeletedAfterTheRetentionAndUnsentRowsNever() {
        String job = "j-" + UUID.randomUUID();
        Instant longAgo = Instant.now().minus(Duration.ofDays(2));
        QuarkusTransaction.requiringNew().run(() -> {
            for (Instant sent : new Instant[] {longAgo, Instant.now()}) {
                OutboxEntity row = new OutboxEntity();
                row.topic = Topics.JOB_EVENTS;
                row.key = job;
                row.payload = Json.write(log(job, "sent " + sent));
                row.created = longAgo;
                row.sent = sent;
                row.persist();
            }
        });
        assertTrue(cleaner.deleteExpired() >= 1);
        assertEquals(1, rows(job), "the row sent just now stays");
    }

    /**
     * While another gateway leads, this one sends nothing — its rows wait for the leader — and its event
     * stream carries what the leader marks sent. The test plays the other gateway: it ends this gateway's
     * leading session and takes the advisory lock itself, then marks the row sent as a leader would.
     */
    @Test
    void aFollowerLeavesItsRowsToTheLeaderAndStreamsWhatTheLeaderSent() throws Exception {
        String job = "j-" + UUID.randomUUID();
        try (Connection leader = takeTheLead()) {
            awaitFollowing();
            CompletableFuture<List<String>> streamed = CompletableFuture.supplyAsync(() -> stream(job, 1));
            QuarkusTransaction.requiringNew().run(() -> outbox.append(log(job, "written by a follower")));
            assertFalse(allSent(job, FOLLOWER_WATCH), "a follower sent a row");
            try (PreparedStatement send = leader.prepareStatement("update outbox set sent = now() where message_key = ?")) {
                send.setString(1, job);
                assertEquals(1, send.executeUpdate());
            }
            List<String> lines = streamed.get(30, TimeUnit.SECONDS);
            assertTrue(lines.getFirst().contains("written by a follower"), lines.getFirst());
        }
    }

    /**
     * A session of the test's own that holds the gateways' advisory lock: it ends the session holding it
     * (this gateway's) and takes the lock before the gateway asks again.
     */
    private Connection takeTheLead() throws Exception {
        Connection session = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (System.nanoTime() < deadline) {
            try (Statement sql = session.createStatement()) {
                sql.execute("select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted "
                        + "and pid <> pg_backend_pid()");
                try (ResultSet rs = sql.executeQuery("select pg_try_advisory_lock(" + Leadership.LOCK_KEY + ")")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return session;
                    }
                }
            }
        }
        session.close();
        throw new AssertionError("the test could not take the lead from the gateway within 30 s");
    }

    /** Waits until this gateway's readiness check says it follows. */
    private void awaitFollowing() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            long deadline = System.nanoTime() + HANG_GUARD.toNanos();
            while (System.nanoTime() < deadline) {
                String health = client.send(HttpRequest.newBuilder(readiness).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (health.replace(" ", "").contains("\"leads\":false")) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the gateway still leads 30 s after losing its lock");
    }

    /** The log lines of {@code job} on the job-events topic, in partition order. */
    private List<String> consume(String job, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "outbox-test-" + job);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> lines = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.JOB_EVENTS));
            long deadline = System.nanoTime() + HANG_GUARD.toNanos();
            while (lines.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key().equals(job)) {
                        JobEvent event = Json.read(r.value(), JobEvent.class);
                        lines.add(((JobEventPayload.Log) event.payload()).message());
                    }
                }
            }
        }
        return lines;
    }

    /** The first {@code count} server-sent data lines about {@code job}. */
    private List<String> stream(String job, int count) {
        HttpRequest request = HttpRequest.newBuilder(events).timeout(HANG_GUARD).GET().build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                return lines.filter(l -> l.startsWith("data:") && l.contains(job)).limit(count).toList();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
