package dev.lasermesh.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The {@code server.properties} of a single-node Kafka cluster in KRaft mode: one process that is both broker
 * and controller, listening on 127.0.0.1 only, with every internal topic at replication factor 1 (there is no
 * second node) and the settings that keep a test broker quick and predictable.
 *
 * @param brokerPort     port of the PLAINTEXT listener that clients use
 * @param controllerPort port of the CONTROLLER listener of the KRaft quorum
 * @param logDir         folder of the broker's partitions and metadata log
 */
record KraftConfig(int brokerPort, int controllerPort, Path logDir) {

    /** Partitions of a topic created without an explicit count, as the mesh's topics are (see the mesh brief). */
    static final int DEFAULT_PARTITIONS = 6;

    Properties properties() {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", String.valueOf(DEFAULT_PARTITIONS));
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("offsets.topic.replication.factor", "1");
        // 50 offsets partitions by default; a handful is plenty for tests and makes the first group join faster.
        p.setProperty("offsets.topic.num.partitions", String.valueOf(DEFAULT_PARTITIONS));
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", String.valueOf(DEFAULT_PARTITIONS));
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // A restarted broker is refused registration until the controller has expired its previous session
        // (9 s by default); a short session makes restart() quick, frequent heartbeats keep it from expiring.
        p.setProperty("broker.session.timeout.ms", "3000");
        p.setProperty("broker.heartbeat.interval.ms", "500");
        return p;
    }

    void write(Path file) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties().store(out, "single-node KRaft test broker written by lasermesh-testkit");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Kafka broker config " + file, e);
        }
    }
}
