package dev.lasermesh.meshit;

import dev.lasermesh.testkit.FreePorts;
import dev.lasermesh.testkit.KafkaBroker;
import dev.lasermesh.testkit.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The whole mesh on this machine: a real Kafka broker and a real PostgreSQL (testkit), and the gateway,
 * analyzers, reducers and evaluators ({@link MeshShape}), each a JVM of its own started from its packaged
 * Quarkus app, sharing one artifact store (a temporary folder) and reading models and texts from the
 * shared fixtures.
 * Everything listens on the loopback address only.
 *
 * <p>Kafka consumers get a 6 s session timeout (the broker's minimum) instead of the client default of
 * 45 s, so that the partitions of a killed service move to the survivors within seconds: the point of
 * the crash tests is that work moves, not how long the default failure detection takes.
 */
final class Mesh implements AutoCloseable {

    /** The API key the gateway is started with. */
    static final String API_KEY = "mesh-it-key";

    static final String REDUCER_GROUP = "lasermesh-reducer";
    static final String EVALUATOR_GROUP = "lasermesh-evaluator";
    static final String GATEWAY_GROUP = "lasermesh-gateway";
    static final String ANALYZER_GROUP = "lasermesh-analyzer";

    private static final int PARTITIONS = 6;
    private static final Duration GROUP_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> GATEWAY_INPUTS = List.of("analysis-results", "reduction-results",
            "evaluation-results");

    private final Path projectRoot;
    private final Path fixtures;
    private final Path logs;
    private final Path artifacts;
    private final MeshShape shape;
    private final KafkaBroker broker;
    private final PostgresServer postgres;
    private final ServiceProcess gateway;
    private final List<ServiceProcess> secondGateways = new ArrayList<>();
    private final List<ServiceProcess> workers = new ArrayList<>();
    private final List<ServiceProcess> reducers = new ArrayList<>();
    private final List<ServiceProcess> evaluators = new ArrayList<>();
    private int reducersStarted;
    /** Kills the services if the test JVM exits without closing the mesh (the broker has its own guard). */
    private final Thread killAtExit = Thread.ofPlatform().unstarted(() -> services().forEach(ServiceProcess::kill));

    private Mesh(Path projectRoot, Path fixtures, Path logs, Path artifacts, MeshShape shape, KafkaBroker broker,
                 PostgresServer postgres) {
        this.projectRoot = projectRoot;
        this.fixtures = fixtures;
        this.logs = logs;
        this.artifacts = artifacts;
        this.shape = shape;
        this.broker = broker;
        this.postgres = postgres;
        this.gateway = new ServiceProcess("gateway", app("gateway"), FreePorts.pick(), "768m", gatewayProperties(), logs);
        Runtime.getRuntime().addShutdownHook(killAtExit);
    }

    /**
     * Starts the broker and PostgreSQL, then the gateway, one analyzer, {@code reducerCount} reducers and
     * {@code evaluatorCount} evaluators, and returns once every service is ready and every consumer group
     * has all its members with partitions assigned.
     */
    static Mesh start(int reducerCount, int evaluatorCount) {
        return start(MeshShape.checks(reducerCount, evaluatorCount));
    }

    /**
     * Starts the broker and PostgreSQL, then the gateway and the workers of {@code shape}, and returns once
     * every service is ready and every consumer group has all its members with partitions assigned.
     */
    static Mesh start(MeshShape shape) {
        Path projectRoot = Path.of(System.getProperty("mesh.project.root", "..")).toAbsolutePath().normalize();
        Path fixtures = realPath(Path.of(System.getProperty("lasermesh.fixtures", projectRoot + "/../shared/fixtures")));
        Path logs = Path.of(System.getProperty("mesh.reports", "target"), "mesh-logs");
        CompletableFuture<PostgresServer> postgres = CompletableFuture.supplyAsync(PostgresServer::start);
        KafkaBroker broker = KafkaBroker.start();
        Mesh mesh;
        try {
            Folders.deleteRecursively(logs);
            Files.createDirectories(logs);
            mesh = new Mesh(projectRoot, fixtures, logs, Files.createTempDirectory("lasermesh-artifacts-"),
                    shape, broker, postgres.get());
        } catch (IOException | ExecutionException | InterruptedException | RuntimeException e) {
            postgres.thenAccept(PostgresServer::close);
            broker.close();
            throw new IllegalStateException("cannot set up the mesh's infrastructure: " + e.getMessage(), e);
        }
        try {
            mesh.startServices();
            return mesh;
        } catch (RuntimeException e) {
            mesh.close();
            throw e;
        }
    }

    private void startServices() {
        List<ServiceProcess> all = new ArrayList<>();
        all.add(gateway);
        for (int i = 1; i <= shape.analyzers(); i++) {
            all.add(worker(shape.analyzers() == 1 ? "analyzer" : "analyzer-" + i, "analyzer-service", shape.workerHeap(),
                    Map.of("lasermesh.artifacts", artifacts.toString(),
                            "lasermesh.analyzer.threads", String.valueOf(shape.blasThreads())), "analysis-tasks"));
        }
        for (int i = 0; i < shape.reducers(); i++) {
            all.add(newReducer());
        }
        for (int i = 1; i <= shape.evaluators(); i++) {
            evaluators.add(worker("evaluator-" + i, "evaluator-service", "1g", Map.of(
                    "lasermesh.artifacts", artifacts.toString(),
                    "lasermesh.evaluator.threads", String.valueOf(evaluatorThreads())), "evaluation-tasks"));
        }
        all.addAll(evaluators);
        all.forEach(ServiceProcess::start);
        all.forEach(ServiceProcess::awaitReady);
        awaitGroup(GATEWAY_GROUP, GATEWAY_INPUTS.size(), GATEWAY_INPUTS.size() * PARTITIONS);
        awaitGroup(ANALYZER_GROUP, shape.analyzers(), PARTITIONS);
        if (shape.reducers() > 0) {
            awaitGroup(REDUCER_GROUP, shape.reducers(), PARTITIONS);
        }
        if (shape.evaluators() > 0) {
            awaitGroup(EVALUATOR_GROUP, shape.evaluators(), PARTITIONS);
        }
    }

    ServiceProcess gateway() {
        return gateway;
    }

    /** The reducers running now, oldest first. */
    List<ServiceProcess> reducers() {
        return reducers.stream().filter(ServiceProcess::isRunning).toList();
    }

    List<ServiceProcess> evaluators() {
        return List.copyOf(evaluators);
    }

    /** Starts one more reducer and waits until the reducers' group has it, with {@code members} in all. */
    ServiceProcess addReducer() {
        ServiceProcess reducer = newReducer();
        reducer.startAndAwaitReady();
        awaitReducers();
        return reducer;
    }

    /** Waits until every running reducer is a member of the group with partitions assigned. */
    void awaitReducers() {
        awaitGroup(REDUCER_GROUP, reducers().size(), PARTITIONS);
    }

    GatewayClient client() {
        return client(gateway);
    }

    /** A client of the gateway {@code service} (the first one or one started by {@link #addGateway()}). */
    GatewayClient client(ServiceProcess service) {
        return new GatewayClient(service.uri(""), API_KEY);
    }

    /**
     * Starts one more gateway on the same job store and broker, and waits until the gateways' result
     * consumers share the result topics' partitions.
     */
    ServiceProcess addGateway() {
        ServiceProcess another = new ServiceProcess("gateway-" + (secondGateways.size() + 2), app("gateway"), FreePorts.pick(),
                "768m", gatewayProperties(), logs);
        secondGateways.add(another);
        another.startAndAwaitReady();
        awaitGateways();
        return another;
    }

    /** Waits until the result consumers of every running gateway hold the result topics' partitions. */
    void awaitGateways() {
        long running = Stream.concat(Stream.of(gateway), secondGateways.stream()).filter(ServiceProcess::isRunning).count();
        awaitGroup(GATEWAY_GROUP, (int) running * GATEWAY_INPUTS.size(), GATEWAY_INPUTS.size() * PARTITIONS);
    }

    /** The model root the gateway resolves job models in (the shared fixtures). */
    Path modelRoot() {
        return fixtures;
    }

    /** The model roots of every service: the shared fixtures and the shape's extra roots. */
    private String modelRoots() {
        return Stream.concat(Stream.of(fixtures), shape.extraModelRoots().stream()).map(Path::toString)
                .collect(Collectors.joining(","));
    }

    /** The data root the gateway resolves evaluation texts in. */
    Path dataRoot() {
        return fixtures.resolve("text");
    }

    /** The data roots of every service: the texts, and the minilm fixture's folder that holds its task folder. */
    private String dataRoots() {
        return dataRoot() + "," + fixtures.resolve("minilm");
    }

    Path artifacts() {
        return artifacts;
    }

    /** A connection to the gateway's job store, for checks of its rows. */
    Connection database() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }

    /** Every service's log tail, for a failed test's report. */
    String logTails() {
        StringBuilder tails = new StringBuilder();
        services().forEach(s -> tails.append(s.logTail()).append('\n'));
        return tails.toString();
    }

    /** Every gateway and every worker ever started, running or not. */
    private List<ServiceProcess> services() {
        return Stream.of(Stream.of(gateway), secondGateways.stream(), workers.stream()).flatMap(s -> s).toList();
    }

    /**
     * Waits until {@code group} is stable with exactly {@code members} members that hold {@code partitions}
     * partitions between them, each member at least one.
     */
    void awaitGroup(String group, int members, int partitions) {
        long deadline = System.nanoTime() + GROUP_TIMEOUT.toNanos();
        String last = "not described yet";
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                        .get();
                int assigned = d.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
                boolean everyMemberWorks = d.members().stream()
                        .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                if (d.groupState() == GroupState.STABLE && d.members().size() == members && assigned == partitions
                        && everyMemberWorks) {
                    return;
                }
                last = d.groupState() + ", " + d.members().size() + " members, " + assigned + " partitions";
                Pause.of(Duration.ofMillis(250));
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe consumer group " + group + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for consumer group " + group, e);
        }
        throw new IllegalStateException("consumer group " + group + " did not settle on " + members + " members with "
                + partitions + " partitions within " + GROUP_TIMEOUT.toSeconds() + " s (last: " + last + ")" + logTails());
    }

    /** The partitions of {@code topic} that the member of {@code group} started as {@code service} holds now. */
    Set<Integer> partitionsHeldBy(String group, ServiceProcess service) {
        return partitionOwners(group).entrySet().stream().filter(e -> e.getValue().startsWith(clientId(service.name())))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /**
     * The partition of every record of {@code topic} whose key starts with {@code keyPrefix} (e.g. a
     * job's task ids), read from the beginning outside any consumer group.
     */
    Map<String, Integer> partitionsOfKeys(String topic, String keyPrefix) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        forEachRecord(topic, keyPrefix, r -> partitions.put(r.key(), r.partition()));
        return partitions;
    }

    /**
     * The create time and partition of the last record of {@code topic} with each key that starts with
     * {@code keyPrefix}, read from the beginning outside any consumer group.
     */
    Map<String, RecordPlace> lastRecords(String topic, String keyPrefix) {
        Map<String, RecordPlace> places = new LinkedHashMap<>();
        forEachRecord(topic, keyPrefix, r -> places.put(r.key(), new RecordPlace(Instant.ofEpochMilli(r.timestamp()),
                r.partition())));
        return places;
    }

    /** Which member of {@code group} (by Kafka client id) holds each partition now. */
    Map<Integer, String> partitionOwners(String group) {
        try (Admin admin = admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
            Map<Integer, String> owners = new LinkedHashMap<>();
            d.members().forEach(m -> m.assignment().topicPartitions().forEach(p -> owners.put(p.partition(),
                    m.clientId())));
            return owners;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe consumer group " + group + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing consumer group " + group, e);
        }
    }

    /**
     * Where and when a record was written.
     *
     * @param timestamp the record's create time (set by its producer)
     * @param partition its partition
     */
    record RecordPlace(Instant timestamp, int partition) {
    }

    /** How many records of {@code topic} carry each key that starts with {@code keyPrefix}. */
    Map<String, Long> recordsPerKey(String topic, String keyPrefix) {
        Map<String, Long> counts = new LinkedHashMap<>();
        forEachRecord(topic, keyPrefix, r -> counts.merge(r.key(), 1L, Long::sum));
        return counts;
    }

    /** Reads {@code topic} from the beginning to its end, outside any consumer group. */
    private void forEachRecord(String topic, String keyPrefix, Consumer<ConsumerRecord<String, String>> action) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> all = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all);
            while (all.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null && r.key().startsWith(keyPrefix)) {
                        action.accept(r);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        services().forEach(s -> {
            try {
                s.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        });
        broker.close();
        postgres.close();
        Folders.deleteRecursively(artifacts);
        try {
            Runtime.getRuntime().removeShutdownHook(killAtExit);
        } catch (IllegalStateException exiting) {
            // The JVM is exiting and runs the hook, which finds every service stopped already.
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    /** The Kafka client id of a worker's task consumer, so that the group's members can be told apart. */
    private static String clientId(String serviceName) {
        return "mesh-it-" + serviceName + "-";
    }

    private ServiceProcess newReducer() {
        ServiceProcess reducer = worker("reducer-" + (++reducersStarted), "reducer-service", shape.workerHeap(), Map.of(
                "lasermesh.artifacts", artifacts.toString(), "lasermesh.reducer.threads",
                String.valueOf(shape.blasThreads())), "reduction-tasks");
        reducers.add(reducer);
        return reducer;
    }

    private ServiceProcess worker(String name, String module, String heap, Map<String, String> own, String input) {
        Map<String, String> properties = new LinkedHashMap<>(kafka(List.of(input)));
        properties.put("mp.messaging.incoming." + input + ".client.id", clientId(name));
        properties.put("lasermesh.model-roots", modelRoots());
        properties.put("lasermesh.data-roots", dataRoots());
        properties.putAll(own);
        ServiceProcess worker = new ServiceProcess(name, app(module), FreePorts.pick(), heap, properties, logs);
        workers.add(worker);
        return worker;
    }

    private Map<String, String> gatewayProperties() {
        Map<String, String> p = new LinkedHashMap<>(kafka(GATEWAY_INPUTS));
        p.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        p.put("quarkus.datasource.username", postgres.username());
        p.put("quarkus.datasource.password", postgres.password());
        p.put("lasermesh.model-roots", modelRoots());
        p.put("lasermesh.data-roots", dataRoots());
        p.put("lasermesh.artifacts", artifacts.toString());
        p.put("lasermesh.api-key", API_KEY);
        p.put("lasermesh.evaluation.shards", String.valueOf(Math.max(1, shape.evaluators())));
        return p;
    }

    /** The broker, and quick failure detection for the service's consumers (see the class comment). */
    private Map<String, String> kafka(List<String> inputs) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("kafka.bootstrap.servers", broker.bootstrapServers());
        for (String input : inputs) {
            p.put("mp.messaging.incoming." + input + ".session.timeout.ms", "6000");
            p.put("mp.messaging.incoming." + input + ".heartbeat.interval.ms", "1000");
        }
        return p;
    }

    /**
     * Scoring threads per evaluator: the machine's processors shared among the evaluators. A calibration
     * shard's forward pass runs its float32 products on as many OpenBLAS threads, whose rounding depends on
     * the count, so a standalone run that is to calibrate bit for bit alike takes {@code --threads} this.
     */
    int evaluatorThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / shape.evaluators());
    }

    private Path app(String module) {
        return projectRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("the fixtures folder " + path + " is missing", e);
        }
    }
}
