package dev.lasermesh.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code lasermesh serve} of the packaged application as a child process on a free loopback port, for tests:
 * started and awaited until ready, stopped like Ctrl-C stops it (SIGTERM).
 */
final class ServeProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final long STOP_SECONDS = 60;

    private final Process process;
    private final Path log;
    private final URI base;

    private ServeProcess(Process process, Path log, URI base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /**
     * Starts {@code lasermesh serve ARGS --port P} (P free) with its console in {@code log}, and returns once
     * {@code /q/health/ready} answers 200.
     */
    static ServeProcess start(Path log, String... args) throws IOException, InterruptedException {
        int port = freePort();
        String[] all = new String[args.length + 3];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--port";
        all[args.length + 2] = Integer.toString(port);
        Process process = PackagedCli.command(List.of("-Xmx2g"), all).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ServeProcess serve = new ServeProcess(process, log, URI.create("http://127.0.0.1:" + port));
        serve.awaitReady();
        return serve;
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    Path log() {
        return log;
    }

    /** Stops the server with SIGTERM and waits for its JVM to exit. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("serve did not stop within " + STOP_SECONDS + " s:\n"
                    + PackagedCli.tail(log, 30));
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(uri("/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("serve exited with " + process.exitValue() + " before it was ready:\n"
                        + PackagedCli.tail(log, 40));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the HTTP server is not up yet
            }
            Thread.sleep(250);
        }
        process.destroyForcibly();
        throw new IllegalStateException("serve was not ready within " + READY_TIMEOUT + ":\n" + PackagedCli.tail(log, 40));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
