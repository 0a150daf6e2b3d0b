package dev.lasermesh.core.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a benchmark's two sides on the same OpenBLAS kernel: OpenBLAS reads
 * {@link PythonBaselineProcess#REMOVED_VARIABLES} once, when it is loaded, and the NumPy subprocess
 * runs without them; so when they are set here, the benchmark reruns in a child JVM (same command
 * line) without them.
 */
final class KernelOverrides {

    private KernelOverrides() {
    }

    /**
     * Reruns this JVM's command without the kernel overrides when any is set and the command is
     * known; returns whether it did (the child printed the results).
     */
    static boolean rerunWithout(PrintStream out) {
        List<String> set = PythonBaselineProcess.REMOVED_VARIABLES.stream().filter(n -> System.getenv(n) != null).toList();
        ProcessHandle.Info info = ProcessHandle.current().info();
        if (set.isEmpty() || info.command().isEmpty() || info.arguments().isEmpty()) {
            return false;
        }
        List<String> command = new ArrayList<>();
        command.add(info.command().get());
        command.addAll(List.of(info.arguments().get()));
        out.println(String.join(", ", set) + " set in this process: rerunning without, so Lasermesh and NumPy both run"
                + " on the kernel OpenBLAS picks for this CPU");
        out.flush();
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        set.forEach(builder.environment()::remove);
        try {
            int status = builder.start().waitFor();
            if (status != 0) {
                throw new IllegalStateException("the rerun without " + set + " exited with " + status);
            }
            return true;
        } catch (IOException e) {
            throw new IllegalStateException("could not rerun the benchmark without " + set + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the benchmark reran without " + set, e);
        }
    }
}
