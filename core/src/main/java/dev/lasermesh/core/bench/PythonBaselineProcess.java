package dev.lasermesh.core.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a NumPy or PyTorch baseline script of a benchmark in a python3 subprocess and reads the JSON
 * object it prints on its last line. The subprocess gets one BLAS thread ({@code OPENBLAS_NUM_THREADS},
 * {@code OMP_NUM_THREADS}, {@code MKL_NUM_THREADS} = 1) unless told otherwise and loses
 * {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE}, so NumPy's OpenBLAS picks its own kernel for
 * the CPU.
 */
public final class PythonBaselineProcess {

    /** Variables removed from the subprocess environment. */
    static final List<String> REMOVED_VARIABLES = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    /** Variables set to one thread in the subprocess environment. */
    static final List<String> SINGLE_THREAD_VARIABLES = List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
            "MKL_NUM_THREADS");

    private PythonBaselineProcess() {
    }

    /**
     * Runs {@code python script args...}.
     *
     * @param what what the script computes, for messages ("the NumPy SVD")
     * @throws IOException when python3 or NumPy is missing, the script fails (the message has its output) or
     *                     it runs past the timeout
     */
    static JsonNode run(String python, Path script, List<String> args, long timeoutMinutes, String what)
            throws IOException {
        return run(python, script, args, timeoutMinutes, what, 1);
    }

    /** As {@link #run(String, Path, List, long, String)} with {@code threads} BLAS threads instead of one. */
    static JsonNode run(String python, Path script, List<String> args, long timeoutMinutes, String what, int threads)
            throws IOException {
        return run(python, script, args, timeoutMinutes, what, threads, Map.of());
    }

    /**
     * As {@link #run(String, Path, List, long, String, int)}, with {@code variables} added to the
     * subprocess environment (e.g. {@code PYTHONPATH} of a PyTorch installed in a folder).
     */
    public static JsonNode run(String python, Path script, List<String> args, long timeoutMinutes, String what, int threads,
                               Map<String, String> variables) throws IOException {
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        REMOVED_VARIABLES.forEach(environment::remove);
        SINGLE_THREAD_VARIABLES.forEach(name -> environment.put(name, Integer.toString(threads)));
        environment.putAll(variables);
        Process process = builder.start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(python + " did not finish " + what + " within " + timeoutMinutes + " minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + what, e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(python + " exited with " + process.exitValue() + ": " + output.strip());
        }
        String[] lines = output.strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }
}
