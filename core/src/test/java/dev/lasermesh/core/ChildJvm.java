package dev.lasermesh.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test's {@code main} class in a child JVM with its own heap limit ({@code -Xmx}), the test class
 * path and the flags Lasermesh needs (Vector API, native access), so that a memory bound is checked by
 * the JVM itself: the child dies of {@link OutOfMemoryError} if the code holds more than the bound.
 */
public final class ChildJvm {

    /** The child's exit code and everything it printed (stdout and stderr). */
    public record Result(int exitCode, List<String> lines) {

        public String output() {
            return String.join("\n", lines);
        }
    }

    private ChildJvm() {
    }

    /**
     * Runs {@code main} with {@code args} under {@code -Xmx<heapMegabytes>m}, its output in {@code log}.
     *
     * @throws AssertionError when it does not finish within {@code timeoutMinutes}
     */
    public static Result run(long heapMegabytes, Class<?> main, Path log, long timeoutMinutes, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMegabytes + "m", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(timeoutMinutes, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly().waitFor();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        if (!finished) {
            throw new AssertionError(main.getSimpleName() + " did not finish in " + timeoutMinutes + " minutes:\n"
                    + String.join("\n", lines));
        }
        return new Result(child.exitValue(), lines);
    }
}
