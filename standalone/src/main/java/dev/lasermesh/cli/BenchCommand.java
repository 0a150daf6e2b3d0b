package dev.lasermesh.cli;

import dev.lasermesh.core.bench.SpectrumBenchmark;
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
        subcommands = {BenchCommand.Spectrum.class})
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
}
