package dev.lasermesh.cli.serve;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code lasermesh serve} was asked for, as the configuration of the application it starts: system
 * properties, which outrank every {@code application.properties} (the standalone's and those in the gateway's
 * and the workers' jars).
 *
 * @param host       the address the HTTP server listens on
 * @param port       its port
 * @param jdbcUrl    the embedded PostgreSQL's database
 * @param dbUser     the user the job store connects as
 * @param modelRoots folders the jobs' models are resolved in (absolute)
 * @param dataRoots  folders the jobs' texts are resolved in (absolute)
 * @param artifacts  the artifact store: reduced tensors and output models (absolute)
 * @param apiKey     the key mutating requests must carry in {@code X-API-Key}
 * @param readKey    the key reads must carry, or null for open reads
 */
public record ServerSettings(String host, int port, String jdbcUrl, String dbUser, List<Path> modelRoots,
                             List<Path> dataRoots, Path artifacts, String apiKey, String readKey) {

    /** The configuration properties these settings stand for. */
    public Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.http.host", host);
        properties.put("quarkus.http.port", Integer.toString(port));
        properties.put("quarkus.datasource.jdbc.url", jdbcUrl);
        properties.put("quarkus.datasource.username", dbUser);
        properties.put("lasermesh.model-roots", list(modelRoots));
        properties.put("lasermesh.data-roots", list(dataRoots));
        properties.put("lasermesh.artifacts", artifacts.toString());
        properties.put("lasermesh.api-key", apiKey);
        if (readKey != null) {
            properties.put("lasermesh.read-key", readKey);
        }
        return properties;
    }

    /** Sets {@link #properties()} as system properties, for the application started next in this JVM. */
    public void apply() {
        properties().forEach(System::setProperty);
    }

    /** A configuration list: comma-separated, a comma inside an element escaped. */
    private static String list(List<Path> paths) {
        return paths.stream().map(p -> p.toString().replace(",", "\\,")).collect(Collectors.joining(","));
    }
}
