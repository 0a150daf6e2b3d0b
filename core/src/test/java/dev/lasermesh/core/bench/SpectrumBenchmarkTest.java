package dev.lasermesh.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Options, the difference measure, and a tiny end-to-end run whose NumPy baseline is missing. */
class SpectrumBenchmarkTest {

    @Test
    void defaultsAreTheThree7bShapesWithHeavyTailedSpectraOnceWithoutJava() {
        SpectrumBenchmark.Options o = SpectrumBenchmark.Options.parse();

        assertEquals(List.of(new MatrixShape(4096, 4096), new MatrixShape(4096, 11008), new MatrixShape(4096, 14336)),
                o.sizes());
        assertEquals(List.of("1e3", "1e4", "1e6"), o.spectra());
        assertEquals(1, o.repetitions());
        assertTrue(o.skipJava());
    }

    @Test
    void optionsAreParsed() {
        SpectrumBenchmark.Options o = SpectrumBenchmark.Options.parse("--sizes", "300x700,640X256", "--repetitions",
                "3", "--java", "--skip-java", "--seed", "7", "--python", "/opt/py", "--spectra", "gaussian,1e5");

        assertEquals(List.of(new MatrixShape(300, 700), new MatrixShape(640, 256)), o.sizes());
        assertEquals(3, o.repetitions());
        assertTrue(o.skipJava());
        assertEquals(7, o.seed());
        assertEquals("/opt/py", o.python());
        assertEquals(List.of("gaussian", "1e5"), o.spectra());
    }

    @Test
    void badOptionsAreRejectedWithTheOptionNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SpectrumBenchmark.Options.parse("--sizes", "300by700"))
                .getMessage().contains("'300by700' is not of the form ROWSxCOLS"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SpectrumBenchmark.Options.parse("--repetitions", "0"))
                .getMessage().contains("--repetitions must be at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SpectrumBenchmark.Options.parse("--repetitions"))
                .getMessage().contains("--repetitions needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SpectrumBenchmark.Options.parse("--spectra", "flat"))
                .getMessage().contains("--spectra takes gaussian or a condition number >= 1, got 'flat'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SpectrumBenchmark.Options.parse("--fast"))
                .getMessage().contains("unknown option '--fast'"));
    }

    @Test
    void relativeDifferenceIgnoresValuesBelowOneThousandthOfTheLargest() {
        double[] reference = {10, 5, 0.009};
        double[] values = {10.001, 5, 1.0};

        assertEquals(1e-4, SpectrumBenchmark.maxRelativeDifference(values, reference), 1e-15);
    }

    @Test
    void runWithoutNumPyStillTimesBothBackendsAndSaysSo() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        SpectrumBenchmark.Options options = new SpectrumBenchmark.Options(List.of(new MatrixShape(150, 300)),
                List.of("gaussian", "1e4"), 1, false, 1, 1L, "/nonexistent/python3");

        SpectrumBenchmark.run(new PrintStream(buffer, true, StandardCharsets.UTF_8), options);

        String output = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("150x300: NumPy baseline unavailable"), output);
        assertTrue(output.contains("cond 1e4"), output);
        assertTrue(output.contains("in-process OpenBLAS (Lasermesh): OpenBLAS"), output);
        assertTrue(output.contains("lasermesh-openblas (1 thread)"), output);
        assertTrue(output.contains("lasermesh-java (1 thread)"), output);
        assertTrue(output.contains("not measured in this run"), output);
    }
}
