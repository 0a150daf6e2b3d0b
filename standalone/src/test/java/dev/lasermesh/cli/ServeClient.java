package dev.lasermesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.job.JobStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The job API of a {@link ServeProcess} as the serve integration tests drive it: GET, POST with the dev
 * API key, and polling a job until it ends. The hang guard only stops a stuck job from blocking the
 * build; it is far above any plausible run and bounds no speed.
 */
final class ServeClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json;
    private final Duration hangGuard;

    ServeClient(ObjectMapper json, Duration hangGuard) {
        this.json = json;
        this.hangGuard = hangGuard;
    }

    /** The job's view once its status is terminal, or the last view seen when the hang guard ran out. */
    JsonNode awaitEnd(URI job) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + hangGuard.toNanos();
        JsonNode view = json.readTree(get(job).body());
        while (!JobStatus.valueOf(view.get("status").asText()).terminal() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            view = json.readTree(get(job).body());
        }
        return view;
    }

    HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(URI uri, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("X-API-Key", "dev").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
