package dev.lasermesh.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.TensorCodec;
import dev.lasermesh.core.tensor.TensorValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3 GB BF16 model in one safetensors file (so offsets pass 2³¹) is analysed by a JVM whose heap is
 * 1 GB: matrices are memory-mapped and decoded one at a time, never the whole model.
 */
class SyntheticModelIT {

    /** TinyLlama-1.1B's widths with 32 layers: 1.54 billion BF16 parameters, 3.08 GB. */
    private static final SyntheticModel MODEL = new SyntheticModel(32000, 2048, 5632, 32, 32, 4, false, DType.BF16, 11);

    @TempDir
    Path dir;

    @Test
    void threeGigabyteModelIsScannedWithAOneGigabyteHeap() throws IOException, InterruptedException {
        assertTrue(MODEL.dataBytes() > 3_000_000_000L);
        Path folder = MODEL.write(dir.resolve("model"), Long.MAX_VALUE);
        assertTrue(Files.size(folder.resolve("model.safetensors")) > MODEL.dataBytes());

        Path log = dir.resolve("scan.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), MatrixNormScan.class.getName(),
                folder.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertTrue(finished, "the scan did not finish in 5 minutes");
        assertEquals(0, child.exitValue(), String.join("\n", lines));

        Map<String, double[]> scanned = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f[0].equals("matrix")) {
                scanned.put(f[1], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
            }
        }
        assertEquals(1 + 32 * 7 + 1, scanned.size());
        assertTrue(lines.contains("norm-values-not-one 0"), String.join("\n", lines));
        long maxHeap = Long.parseLong(lines.getLast().split(" ")[1]);
        assertTrue(maxHeap <= 1L << 30, "child heap " + maxHeap);

        for (Map.Entry<String, double[]> m : scanned.entrySet()) {
            double n = m.getValue()[0];
            double std = Math.sqrt(m.getValue()[1] / n);
            assertEquals(SyntheticModel.WEIGHT_STD, std, SyntheticModel.WEIGHT_STD * 0.01, m.getKey());
        }
        assertEquals(bf16SumOfSquares("lm_head.weight"), scanned.get("lm_head.weight")[1],
                "the last tensor, beyond 2 GB, decodes to exactly the generated values");
    }

    /** Σ v² of a tensor's generated values after BF16 rounding, summed in the scan's order. */
    private static double bf16SumOfSquares(String name) {
        double[] sum = {0};
        MODEL.values(name).emit(new TensorValues.Sink() {
            @Override
            public void floats(float[] block, int from, int count) {
                for (int i = 0; i < count; i++) {
                    double v = TensorCodec.bf16ToFloat(TensorCodec.floatToBf16(block[from + i]));
                    sum[0] += v * v;
                }
            }

            @Override
            public void doubles(double[] block, int from, int count) {
                throw new AssertionError("the generator produces floats");
            }
        });
        return sum[0];
    }
}
