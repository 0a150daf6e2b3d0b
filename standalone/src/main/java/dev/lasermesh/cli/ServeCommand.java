package dev.lasermesh.cli;

import dev.lasermesh.cli.serve.EmbeddedDatabase;
import dev.lasermesh.cli.serve.ListenPolicy;
import dev.lasermesh.cli.serve.Server;
import dev.lasermesh.cli.serve.ServerSettings;
import dev.lasermesh.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lasermesh serve}: the whole mesh in this JVM — the gateway's REST API and orchestrator with the
 * analyzer, reducer and evaluator, connected by in-memory channels instead of Kafka — on a real PostgreSQL
 * started from embedded binaries, whose data (and the artifact store) live in {@code --data-dir} across
 * restarts. The only command that starts the Quarkus runtime; every other one stays plain Java.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the job API (gateway and workers, in-memory channels) on an embedded PostgreSQL.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.lasermesh",
            description = "Holds the database (postgres/, its log postgres.log) and the artifact store (artifacts/): "
                    + "jobs and outputs survive restarts (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--model-root", paramLabel = "DIR", defaultValue = "${env:LASERMESH_HOME:-.}/models",
            split = ",", description = "Folder a job's model is resolved in (repeatable; default: ${DEFAULT-VALUE}).")
    List<Path> modelRoots;

    @Option(names = "--data-root", paramLabel = "DIR", defaultValue = "${env:LASERMESH_HOME:-.}/data",
            split = ",", description = "Folder a job's evaluation texts are resolved in (repeatable; default: ${DEFAULT-VALUE}).")
    List<Path> dataRoots;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = ListenPolicy.DEFAULT_API_KEY,
            description = "Key that POST and cancel requests must send in X-API-Key (default: ${DEFAULT-VALUE}; "
                    + "a --host beyond loopback needs a key of your own).")
    String apiKey;

    @Option(names = "--read-key", paramLabel = "KEY",
            description = "Key that reads (job lists and views, reports, outputs, inputs, events) must send in "
                    + "X-API-Key (the API key works too); without it, reads are open.")
    String readKey;

    @Override
    public Integer call() {
        if (ListenPolicy.check(host, apiKey, readKey)) {
            System.err.println("lasermesh serve: reads (jobs with their paths, reports, output listings) are open to "
                    + "anyone who reaches " + host + ":" + port + "; --read-key protects them");
        }
        Path data = dataDir.toAbsolutePath().normalize();
        List<Path> models = folders("--model-root", modelRoots);
        List<Path> texts = folders("--data-root", dataRoots);
        System.err.println("lasermesh serve: starting PostgreSQL on " + data.resolve("postgres"));
        try (EmbeddedDatabase database = EmbeddedDatabase.start(data.resolve("postgres"), data.resolve("postgres.log"))) {
            return Server.run(new ServerSettings(host, port, database.jdbcUrl(), database.username(), models, texts,
                    data.resolve("artifacts"), apiKey, readKey), database);
        }
    }

    private static List<Path> folders(String option, List<Path> paths) {
        for (Path path : paths) {
            if (!Files.isDirectory(path)) {
                throw new InvalidInputException(option + " " + path + ": not a folder");
            }
        }
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }
}
