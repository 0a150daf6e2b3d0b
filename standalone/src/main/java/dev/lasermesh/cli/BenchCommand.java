package dev.lasermesh.cli;

import dev.lasermesh.core.bench.QuantBenchmark;
import dev.lasermesh.core.bench.SpectrumBenchmark;
import dev.lasermesh.core.eval.bench.EvalBenchmark;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code lasermesh bench}: benchmarks that time Lasermesh against a baseline run in the same
 * process or script on the same machine, and print the ratio (never asserted in tests).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks against a baseline measured in the same run.",
        subcommands = {BenchCommand.Spectrum.class, BenchCommand.Eval.class, BenchCommand.Quant.class})
final class BenchCommand {

    /** All singular values of Gaussian matrices: Lasermesh (native and pure Java) against NumPy. */
    @Command(name = "spectrum", mixinStandardHelpOptions = true,
            description = "Singular values of Gaussian matrices (2048x5632, 4096x11008): Lasermesh vs "
                    + "NumPy np.linalg.svd(W, compute_uv=False), one thread each. Options: --sizes 2048x5632,... "
                    + "--repetitions N --skip-java --java-threads N --seed N --python PATH")
    static final class Spectrum implements Runnable {

        @Unmatched
        List<String> options = new ArrayList<>();

        @Override
        public void run() {
            SpectrumBenchmark.run(System.out, SpectrumBenchmark.Options.parse(options.toArray(String[]::new)));
        }
    }

    /**
     * Prefill throughput of the Java forward pass against PyTorch on the same windows and weights, and
     * the speed-up of incremental evaluation for candidates in the last third of the layers.
     */
    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Evaluation throughput (tokens/s) on 128-token windows: the demo model and a "
                    + "SmolLM2-135M-shaped model with random weights, Lasermesh vs PyTorch (2 threads each), and "
                    + "the incremental-evaluation speed-up. Options: --tiny-llama DIR (default models/demo-llama) "
                    + "--text FILE (default data/sotu-2009-2021.txt) --windows N --threads N --repeats N "
                    + "--torch-path DIR --wheel-dir DIR --work-dir DIR")
    static final class Eval implements java.util.concurrent.Callable<Integer> {

        @Unmatched
        List<String> options = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<String> args = new ArrayList<>(List.of("--tiny-llama", "models/demo-llama",
                    "--text", "data/sotu-2009-2021.txt"));
            args.addAll(options);
            EvalBenchmark.main(args.toArray(String[]::new));
            return 0;
        }
    }

    /** ggml Q8_0 / Q4_0 quantize and dequantize throughput: Lasermesh against vectorised NumPy. */
    @Command(name = "quant", mixinStandardHelpOptions = true,
            description = "Quantize + dequantize throughput (values/s) of ggml Q8_0 and Q4_0 on a Gaussian float32 "
                    + "matrix, Lasermesh (Vector API, one thread) vs vectorised NumPy of the same formats in the same "
                    + "run. Options: --size 4096x11008 --repetitions N --seed N --python PATH")
    static final class Quant implements Runnable {

        @Unmatched
        List<String> options = new ArrayList<>();

        @Override
        public void run() {
            QuantBenchmark.run(System.out, QuantBenchmark.Options.parse(options.toArray(String[]::new)));
        }
    }
}
