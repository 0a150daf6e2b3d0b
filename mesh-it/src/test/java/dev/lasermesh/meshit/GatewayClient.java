package dev.lasermesh.meshit;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobView;
import dev.lasermesh.core.search.TraceEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A client of the gateway's job API ({@code /api/v1/jobs}, docs/contracts.md "REST") over
 * {@code java.net.http}, as any HTTP client would use it. Answers are read with the contract's reader,
 * so a body that does not match the contract fails the test. Each instance has its own HTTP client
 * (its own connections).
 */
final class GatewayClient implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(200);

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    GatewayClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** POSTs a job spec with the API key. */
    HttpResponse<String> submit(String spec) {
        return post("/api/v1/jobs", spec, apiKey);
    }

    /** POSTs {@code body} as JSON, with {@code key} in {@code X-API-Key} unless it is null. */
    HttpResponse<String> post(String path, String body, String key) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return send(request.build());
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    /** The submitted job's id, from a 201 answer. */
    static String createdId(HttpResponse<String> created) {
        if (created.statusCode() != 201) {
            throw new AssertionError("submission answered " + created.statusCode() + ": " + created.body());
        }
        return Json.read(created.body(), JobView.class).id();
    }

    JobView job(String id) {
        return Json.read(ok(get("/api/v1/jobs/" + id)), JobView.class);
    }

    /** Every job the gateway lists (up to its page limit of 1000), newest first. */
    List<JobView> jobs() {
        return List.of(Json.read(ok(get("/api/v1/jobs?limit=1000")), JobView[].class));
    }

    /** How many candidates the job's search has decided so far. */
    int decided(String id) {
        return Json.read(ok(get("/api/v1/jobs/" + id + "/candidates")), TraceEntry[].class).length;
    }

    /** The job's {@code lasermesh-report.json}. */
    String report(String id) {
        return ok(get("/api/v1/jobs/" + id + "/report"));
    }

    /**
     * Polls the job until {@code condition} holds. Connection failures count as "not yet", so this also
     * waits through a restart of the gateway.
     *
     * @throws AssertionError when the condition does not hold within {@code timeout}, or the job ended
     *                        without meeting it
     */
    JobView await(String id, Predicate<JobView> condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobView last = null;
        while (System.nanoTime() < deadline) {
            JobView seen = jobIfUp(id);
            if (seen != null) {
                last = seen;
                if (condition.test(last)) {
                    return last;
                }
                if (last.status().terminal()) {
                    throw new AssertionError("job " + id + " ended " + last.status() + " before " + what + ": "
                            + last.errors());
                }
            }
            Pause.of(POLL);
        }
        throw new AssertionError("job " + id + ": not " + what + " within " + timeout.toSeconds() + " s (last seen: "
                + (last == null ? "nothing" : last.status() + " " + last.progress()) + ")");
    }

    /** Polls until the job has ended (any terminal status). */
    JobView awaitEnd(String id, Duration timeout) {
        return await(id, j -> j.status().terminal(), "ended", timeout);
    }

    /** The job, or null while the gateway is down or shutting down (no connection, or 503). */
    private JobView jobIfUp(String id) {
        HttpResponse<String> response;
        try {
            response = get("/api/v1/jobs/" + id);
        } catch (UncheckedIOException gatewayDown) {
            return null;
        }
        return response.statusCode() == 503 ? null : Json.read(ok(response), JobView.class);
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    private static String ok(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
