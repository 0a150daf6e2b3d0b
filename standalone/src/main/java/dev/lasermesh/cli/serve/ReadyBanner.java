package dev.lasermesh.cli.serve;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Tells the user of {@code lasermesh serve}, once everything has started, where the API is and which key it takes. */
@ApplicationScoped
public class ReadyBanner {

    void onStart(@Observes StartupEvent event, @ConfigProperty(name = "quarkus.http.host") String host,
                 @ConfigProperty(name = "quarkus.http.port") int port,
                 @ConfigProperty(name = "lasermesh.api-key") String apiKey,
                 @ConfigProperty(name = "lasermesh.read-key") Optional<String> readKey) {
        String base = "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + port;
        System.out.println("lasermesh serve is ready: " + base + "/");
        System.out.println("  jobs:    " + base + "/api/v1/jobs (POST and cancel need the header X-API-Key: " + apiKey + ")");
        readKey.ifPresent(key -> System.out.println("  reads need the header X-API-Key: " + key
                + " (in the dashboard: enter it as the API key)"));
        System.out.println("  OpenAPI: " + base + "/q/swagger-ui");
        System.out.flush();
    }
}
