package dev.lasermesh.core.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.linalg.OpenBlasLinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.SyntheticModel;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.tensor.DType;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code lasermesh bench analyze}: whole-model analysis throughput on a Mistral-7B-shaped BF16 model
 * with random weights ({@link SyntheticModel}: hidden 4096, intermediate 14336, 32/8 heads, vocab
 * 32000; {@code --layers N} of its 32 layers, since the whole model is 14.5 GB), streamed matrix by
 * matrix from the memory-mapped file with the laserRMT policy, in two ways of using both cores:
 * <ul>
 * <li>one matrix per core: two workers, each with its own single-threaded OpenBLAS backend;</li>
 * <li>one matrix at a time on a two-threaded OpenBLAS backend.</li>
 * </ul>
 * and, in the same run, Spectrum's scan (cognitivecomputations/spectrum, {@code spectrum.py}: a loop of
 * {@code torch.linalg.svdvals(weight.float())}) over the same matrices read from the same file, with
 * NumPy's {@code np.linalg.svd(W32, compute_uv=False)} standing in for PyTorch when torch is absent
 * (float32, as Spectrum computes; Lasermesh computes in float64). Prints matrices per minute and the
 * projected time for models of 32, 80 and 126 layers of this width (7 matrices per layer; wider
 * models' matrices cost more, so the 80- and 126-layer rows are lower bounds).
 */
public final class AnalyzeBenchmark {

    private static final int[] PROJECTED_LAYERS = {32, 80, 126};
    private static final long TIMEOUT_MINUTES = 120;

    private static final String SCRIPT = """
            import json, struct, sys, time
            import numpy as np
            path, names = sys.argv[1], sys.argv[2].split(',')
            try:
                import torch
                backend = 'torch ' + torch.__version__ + ' torch.linalg.svdvals(w.float())'
            except ImportError:
                torch = None
                backend = 'numpy ' + np.__version__ + ' np.linalg.svd(w32, compute_uv=False) (torch absent)'
            with open(path, 'rb') as f:
                n = struct.unpack('<Q', f.read(8))[0]
                header = json.loads(f.read(n))
            data = np.memmap(path, dtype=np.uint8, mode='r', offset=8 + n)
            start = time.perf_counter()
            for name in names:
                info = header[name]
                begin, end = info['data_offsets']
                raw = np.frombuffer(data[begin:end], dtype='<u2').astype(np.uint32) << 16
                w = raw.view(np.float32).reshape(info['shape'])
                if torch is not None:
                    torch.linalg.svdvals(torch.from_numpy(w))
                else:
                    np.linalg.svd(w, compute_uv=False)
            print(json.dumps({'seconds': time.perf_counter() - start, 'backend': backend}))
            """;

    private AnalyzeBenchmark() {
    }

    /**
     * Benchmark options.
     *
     * @param layers      decoder layers written and analysed (1..32)
     * @param workDir     where the model folder is written (and deleted afterwards)
     * @param python      the python executable with NumPy (or PyTorch)
     * @param skipPython  leave the Spectrum baseline out
     */
    public record Options(int layers, Path workDir, String python, boolean skipPython) {

        public Options {
            if (layers < 1 || layers > 32) {
                throw new IllegalArgumentException("--layers must be 1..32, got " + layers);
            }
        }

        /** One layer, the system temporary folder, python3. */
        public static Options defaults() {
            return new Options(1, Path.of(System.getProperty("java.io.tmpdir")), "python3", false);
        }
    }

    /** One way of analysing: its label and seconds for all the matrices. */
    record Timing(String label, double seconds) {
    }

    /** Writes the model, times each way, prints the table to {@code out}. */
    public static void run(PrintStream out, Options options) {
        SyntheticModel shape = SyntheticModel.mistral7B(DType.BF16, 20261205L).withLayers(options.layers());
        Path folder;
        try {
            folder = Files.createTempDirectory(options.workDir(), "lasermesh-bench-analyze");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder in " + options.workDir(), e);
        }
        try {
            out.printf(Locale.ROOT, "writing a Mistral-7B-shaped BF16 model with %d layer(s) (%.2f GB) to %s%n",
                    options.layers(), shape.dataBytes() / 1e9, folder);
            shape.write(folder, Long.MAX_VALUE);
            out.printf(Locale.ROOT, "machine: %d processors, load average %.2f at start, Java %s%n",
                    Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.version());
            out.println("in-process OpenBLAS: " + OpenBlasConfig.inProcess());
            List<Timing> timings = new ArrayList<>();
            List<MatrixRef> matrices;
            try (ModelSource source = ModelSource.open(folder)) {
                matrices = source.catalogue().defaultSelection();
                out.printf(Locale.ROOT, "%d matrices (7 per layer), laserrmt policy%n", matrices.size());
                timings.add(onePerCore(source, matrices));
                timings.add(oneWithTwoThreads(source, matrices));
            }
            if (!options.skipPython()) {
                timings.addAll(spectrumBaseline(out, options.python(), folder, matrices));
            }
            print(out, timings, matrices.size(), options.layers());
        } finally {
            deleteFolder(folder);
        }
    }

    private static Timing onePerCore(ModelSource source, List<MatrixRef> matrices) {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                workers.add(pool.submit(() -> {
                    MatrixAnalyzer analyzer = new MatrixAnalyzer(new OpenBlasLinearAlgebra(1), new LaserRmtPolicy());
                    for (int i = next.getAndIncrement(); i < matrices.size(); i = next.getAndIncrement()) {
                        requireSucceeded(analyzer.analyze(source, matrices.get(i)));
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("the one-matrix-per-core run failed: " + e.getMessage(), e);
        }
        return new Timing("lasermesh: one matrix per core (2 workers x 1 OpenBLAS thread)", secondsSince(start));
    }

    private static Timing oneWithTwoThreads(ModelSource source, List<MatrixRef> matrices) {
        MatrixAnalyzer analyzer = new MatrixAnalyzer(new OpenBlasLinearAlgebra(2), new LaserRmtPolicy());
        long start = System.nanoTime();
        for (MatrixRef matrix : matrices) {
            requireSucceeded(analyzer.analyze(source, matrix));
        }
        return new Timing("lasermesh: one matrix at a time (1 worker x 2 OpenBLAS threads)", secondsSince(start));
    }

    private static List<Timing> spectrumBaseline(PrintStream out, String python, Path folder, List<MatrixRef> matrices) {
        try {
            Path script = folder.resolve("spectrum_scan.py");
            Files.writeString(script, SCRIPT);
            String names = String.join(",", matrices.stream().map(MatrixRef::name).toList());
            JsonNode result = PythonBaselineProcess.run(python, script,
                    List.of(folder.resolve("model.safetensors").toString(), names), TIMEOUT_MINUTES,
                    "Spectrum's scan", 2);
            out.println("baseline: " + result.get("backend").asText() + ", 2 BLAS threads");
            return List.of(new Timing("spectrum scan: " + result.get("backend").asText().split(" ")[0]
                    + " (1 process x 2 BLAS threads)", result.get("seconds").asDouble()));
        } catch (IOException e) {
            out.println("Spectrum baseline unavailable: " + e.getMessage());
            return List.of();
        }
    }

    private static void print(PrintStream out, List<Timing> timings, int count, int layers) {
        double reference = timings.stream().filter(t -> t.label().startsWith("spectrum")).mapToDouble(Timing::seconds)
                .findFirst().orElse(Double.NaN);
        out.printf(Locale.ROOT, "%n%-68s %9s %12s %9s", "way", "seconds", "matrices/min", "vs scan");
        for (int projected : PROJECTED_LAYERS) {
            out.printf(Locale.ROOT, " %11s", projected + " layers");
        }
        out.println();
        for (Timing t : timings) {
            double perLayer = t.seconds() / layers;
            out.printf(Locale.ROOT, "%-68s %9.1f %12.2f %9s", t.label(), t.seconds(), count / (t.seconds() / 60),
                    Double.isNaN(reference) ? "n/a" : String.format(Locale.ROOT, "%.2fx", reference / t.seconds()));
            for (int projected : PROJECTED_LAYERS) {
                out.printf(Locale.ROOT, " %10.1fm", perLayer * projected / 60);
            }
            out.println();
        }
        out.println("projected = seconds per layer x layers (same width; wider models cost more per matrix)");
    }

    private static void requireSucceeded(MatrixAnalysis analysis) {
        if (!analysis.succeeded()) {
            throw new IllegalStateException(analysis.error().orElseThrow());
        }
    }

    private static double secondsSince(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void deleteFolder(Path folder) {
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            System.err.println("could not delete the benchmark's model folder " + folder + ": " + e.getMessage());
        }
    }
}
