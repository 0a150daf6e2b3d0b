package dev.lasermesh.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's settings ({@code lasermesh.*}; profiles {@code %dev}, {@code %test}, {@code %prod} in
 * {@code application.properties}).
 */
@ConfigMapping(prefix = "lasermesh")
public interface GatewayConfig {

    /** Folders that hold the models a job may name (the job spec's {@code model} is resolved inside them). */
    List<Path> modelRoots();

    /** Folders that hold the evaluation texts a job may name. */
    List<Path> dataRoots();

    /**
     * The artifact store: the folder every service mounts at the same place; reducers write the reduced
     * tensors under {@code jobs/<job>/reduced/}, the gateway the output model under {@code jobs/<job>/model/}.
     */
    Path artifacts();

    /** The key that mutating requests must carry in {@code X-API-Key}; {@code dev} in the dev and test profiles. */
    String apiKey();

    /**
     * The key that reads of the API (job lists and views, reports, output listings, inputs, events) must
     * carry, in {@code X-API-Key} or the dashboard's cookie ({@code ReadKeyFilter}); the API key is
     * accepted as well. Unset (the default): reads are open, for a gateway that only trusted clients
     * reach. Job views show absolute paths and artifact listings, so set it wherever others can reach
     * the port.
     */
    Optional<String> readKey();

    /** How evaluations are spread over the evaluators. */
    Evaluation evaluation();

    /** Retries of tasks that failed with a retryable reason. */
    Tasks tasks();

    /** The transactional outbox's publisher. */
    Outbox outbox();

    /** Topic creation at start. */
    Topics topics();

    /** How evaluations are spread over the evaluators. */
    interface Evaluation {

        /**
         * Window shards per evaluation request: each request's windows are cut into this many contiguous
         * shards, one evaluation task each, so that as many evaluator instances score one model state
         * together. Default 2.
         */
        @WithDefault("2")
        int shards();

        /**
         * How many search requests (model states) may be in flight at once per job: the parallelism P the
         * search machine is driven with. Greedy searches speculate on this many candidates; results equal
         * the sequential search's for any P. Default 2.
         */
        @WithDefault("2")
        int parallelRequests();
    }

    /** Retries of tasks that failed with a retryable reason. */
    interface Tasks {

        /** How many times a task is sent in all before a retryable failure fails the job. Default 3. */
        @WithDefault("3")
        int maxAttempts();
    }

    /** The transactional outbox's publisher. */
    interface Outbox {

        /**
         * How often the publisher looks for unsent rows besides being woken right after each commit
         * that wrote some (the safety net for a lost wake-up). Default 1 s, the scheduler's finest.
         */
        @WithDefault("1s")
        Duration interval();

        /** Most rows sent per publishing round. Default 500. */
        @WithDefault("500")
        int batchSize();

        /** How long the publisher waits for the broker's acknowledgements of one round. Default 30 s. */
        @WithDefault("30s")
        Duration ackTimeout();

        /** How long sent rows are kept before they are deleted. Default 24 h. */
        @WithDefault("24h")
        Duration retention();
    }

    /** Topic creation at start. */
    interface Topics {

        /** Whether the gateway creates missing topics at start with the Kafka admin client. Default true. */
        @WithDefault("true")
        boolean create();

        /** Partitions of each created topic. Default 6. */
        @WithDefault("6")
        int partitions();

        /** Replication factor of each created topic. Default 1. */
        @WithDefault("1")
        short replicationFactor();
    }
}
