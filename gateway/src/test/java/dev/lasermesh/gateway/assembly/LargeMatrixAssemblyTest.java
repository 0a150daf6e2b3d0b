package dev.lasermesh.gateway.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import dev.lasermesh.core.tensor.TensorValues;
import dev.lasermesh.gateway.CoreWorkers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembly of a model whose one matrix is larger than the heap, in a child JVM started with
 * {@value #HEAP}: {@code big.weight} is 4480 × 4480 F32, 80.3 MB in the file and 160.6 MB widened to
 * float64. The whole-matrix assembly this replaced held two float64 copies at once (the stored W_k or
 * the product A·B, and W for the error): 2 × 160.6 = 321 MB, and even one copy alone is more than the
 * 128 MiB heap. Streamed, a block is 1 Mi values (234 rows, 8.4 MB): the stored rows, the same rows of W
 * and, factored, the product rows and B (64 × 4480, 2.3 MB), about 30 MB in all. The matrix is made by
 * {@link ReflectedDiagonal} (known singular values 1/√(1 + l), rank 64 kept), so the reported ‖W‖_F and
 * ‖W − W̃_k‖_F are checked against a plain float64 sum over the elements computed here from the
 * generator (to 1e-12, the order of summation differs) and against √Σs² and Eckart–Young (to 1e-5, the
 * F32 rounding of W and W̃_k). An {@link OutOfMemoryError} in the assembly (a 2 × 4,000,000 matrix, one
 * row of which widened is 32 MB, under a 24 MiB heap) is a failure naming the tensor, which the gateway
 * turns into a FAILED job ({@link AssemblyRunner}).
 */
class LargeMatrixAssemblyTest {

    private static final String HEAP = "-Xmx128m";
    private static final int N = 4480;
    private static final int K = 64;
    private static final String BIG = "big.weight";

    @TempDir
    static Path dir;

    private static ReflectedDiagonal big;
    private static Path model;
    private static Path artifacts;

    @BeforeAll
    static void writeModel() throws IOException {
        assertTrue((long) N * N * Double.BYTES > 128L << 20, "one float64 copy of the matrix exceeds the heap");
        big = ReflectedDiagonal.of(N, N, 5);
        model = Files.createDirectories(dir.resolve("models/big"));
        new SafetensorsWriter(model.resolve("model.safetensors"))
                .put(BIG, DType.F32, new long[] {N, N}, rows(N, i -> big.row(i, N)))
                .put("norm.weight", DType.F32, new long[] {N}, big.u())
                .write();
        artifacts = Files.createDirectories(dir.resolve("artifacts"));
    }

    @Test
    void aDenseMatrixLargerThanTheHeapIsAssembledWithTheErrorsOfTheWholeMatrix() throws Exception {
        String path = "jobs/j-big/big-dense.safetensors";
        Path file = artifacts.resolve(path);
        new SafetensorsWriter(file).put(BIG, DType.F32, new long[] {N, N}, rows(N, i -> big.row(i, K))).write();
        Path out = dir.resolve("out-dense");
        List<String> lines = assemble(HEAP, model, out, reduction(List.of(CoreWorkers.tensorRef(path, file, BIG))), 0);

        double squares = 0;
        double differences = 0;
        for (int i = 0; i < N; i++) {
            double[] w = big.row(i, N);
            double[] wk = big.row(i, K);
            for (int j = 0; j < N; j++) {
                double stored = (float) w[j];
                double d = stored - (float) wk[j];
                squares += stored * stored;
                differences += d * d;
            }
        }
        assertErrors(lines, Math.sqrt(squares), Math.sqrt(differences));
        assertSameBytes(file, BIG, out, BIG);
        assertSameBytes(model.resolve("model.safetensors"), "norm.weight", out, "norm.weight");
    }

    @Test
    void aFactoredMatrixLargerThanTheHeapIsAssembledWithTheErrorsOfTheWholeProduct() throws Exception {
        String path = "jobs/j-big/big-factored.safetensors";
        Path file = artifacts.resolve(path);
        new SafetensorsWriter(file)
                .put(BIG + ".left", DType.F32, new long[] {N, K}, rows(N, i -> big.leftRow(i, K)))
                .put(BIG + ".right", DType.F32, new long[] {K, N}, rows(K, big::rightRow))
                .write();
        Path out = dir.resolve("out-factored");
        List<String> lines = assemble(HEAP, model, out, reduction(List.of(CoreWorkers.tensorRef(path, file, BIG + ".left"),
                CoreWorkers.tensorRef(path, file, BIG + ".right"))), 0);

        double[][] b = new double[K][];
        for (int l = 0; l < K; l++) {
            b[l] = asStored(big.rightRow(l));
        }
        double squares = 0;
        double differences = 0;
        for (int i = 0; i < N; i++) {
            double[] w = asStored(big.row(i, N));
            double[] a = asStored(big.leftRow(i, K));
            for (int j = 0; j < N; j++) {
                double product = 0;
                for (int l = 0; l < K; l++) {
                    product += a[l] * b[l][j];
                }
                double d = w[j] - product;
                squares += w[j] * w[j];
                differences += d * d;
            }
        }
        assertErrors(lines, Math.sqrt(squares), Math.sqrt(differences));
        assertSameBytes(file, BIG + ".right", out, "big.0.weight");
        assertSameBytes(file, BIG + ".left", out, "big.1.weight");
    }

    @Test
    void anOutOfMemoryErrorInTheAssemblyIsAFailureNamingTheTensor() throws Exception {
        int cols = 4_000_000;
        ReflectedDiagonal wide = ReflectedDiagonal.of(2, cols, 6);
        Path wideModel = Files.createDirectories(dir.resolve("models/wide"));
        new SafetensorsWriter(wideModel.resolve("model.safetensors"))
                .put("wide.weight", DType.F32, new long[] {2, cols}, rows(2, i -> wide.row(i, 2))).write();
        String path = "jobs/j-wide/wide-dense.safetensors";
        Path file = artifacts.resolve(path);
        new SafetensorsWriter(file).put("wide.weight", DType.F32, new long[] {2, cols}, rows(2, i -> wide.row(i, 1)))
                .write();
        Path out = dir.resolve("out-wide");
        ReductionOutput reduction = new ReductionOutput(new Overlay("wide.weight",
                List.of(CoreWorkers.tensorRef(path, file, "wide.weight"))), 1, wide.eckartYoung(1), 0.5, 8L * cols,
                8L * cols, 1, "test");
        List<String> lines = assemble("-Xmx24m", wideModel, out, reduction, 3);
        assertTrue(lines.contains("failure writing wide.weight: OutOfMemoryError: Java heap space"),
                String.join("\n", lines));
        assertFalse(Files.exists(out.resolve("model.safetensors")), "no model file is left half-written");
    }

    /** The reduction a reducer would send for the big matrix at rank K, its tensors stored as {@code refs}. */
    private static ReductionOutput reduction(List<TensorRef> refs) {
        double kept = 0;
        double total = 0;
        for (int l = 0; l < big.s().length; l++) {
            total += big.s()[l] * big.s()[l];
            kept += l < K ? big.s()[l] * big.s()[l] : 0;
        }
        return new ReductionOutput(new Overlay(BIG, refs), K, big.eckartYoung(K), kept / total, 4L * N * N,
                4L * K * (N + N), 1, "test");
    }

    /** Runs {@link LargeMatrixAssembly} in a JVM with {@code heap}, expecting {@code exit}; returns its output. */
    private static List<String> assemble(String heap, Path model, Path out, ReductionOutput reduction, int exit)
            throws IOException, InterruptedException {
        Path json = Files.writeString(dir.resolve(out.getFileName() + ".json"), Json.write(reduction));
        Path log = dir.resolve(out.getFileName() + ".log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                LargeMatrixAssembly.class.getName(), model.toString(), out.toString(), artifacts.toString(),
                json.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertTrue(finished, "hang guard: the assembly did not end in 5 minutes");
        assertEquals(exit, child.exitValue(), String.join("\n", lines));
        return lines;
    }

    private static void assertErrors(List<String> lines, double norm, double roundedError) {
        Map<String, String> printed = lines.stream().filter(l -> l.indexOf(' ') > 0)
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(' ')), l -> l.substring(l.indexOf(' ') + 1),
                        (a, b) -> b));
        assertTrue(Long.parseLong(printed.get("max-heap")) <= 128L << 20, "child heap " + printed.get("max-heap"));
        double reportedNorm = Double.parseDouble(printed.get("norm"));
        double reportedError = Double.parseDouble(printed.get("rounded-error"));
        assertEquals(norm, reportedNorm, 1e-12 * norm, "‖W‖_F");
        assertEquals(roundedError, reportedError, 1e-12 * roundedError, "‖W − W̃_k‖_F");
        double exactNorm = big.eckartYoung(0);
        assertEquals(exactNorm, reportedNorm, 1e-5 * exactNorm, "‖W‖_F = √Σs² up to the F32 rounding of W");
        assertEquals(big.eckartYoung(K), reportedError, 1e-5 * big.eckartYoung(K),
                "Eckart–Young up to the F32 rounding of W and W̃_k");
    }

    private static void assertSameBytes(Path expectedFile, String expected, Path outDir, String actual) {
        try (SafetensorsFile e = SafetensorsFile.open(expectedFile);
             SafetensorsFile a = SafetensorsFile.open(outDir.resolve("model.safetensors"))) {
            assertEquals(-1, e.bytes(expected).mismatch(a.bytes(actual)), actual + " holds the bytes of " + expected);
        }
    }

    /** The values the writer stores in F32, widened back. */
    private static double[] asStored(double[] values) {
        double[] stored = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            stored[i] = (float) values[i];
        }
        return stored;
    }

    /** Rows 0 .. count−1 from {@code row}, one block each, as the writer streams them. */
    private static TensorValues rows(int count, IntFunction<double[]> row) {
        return sink -> {
            for (int i = 0; i < count; i++) {
                double[] values = row.apply(i);
                sink.doubles(values, 0, values.length);
            }
        };
    }
}
