package dev.lasermesh.cli;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.calibrate.CalibrationPass;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.perplexity.WindowPlan;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * Where calibration statistics come from (DESIGN §7.4): a text, calibrated here on its first N tokens
 * in laserrmt windows ([BOS] + ids, non-overlapping windows of the evaluation window length), or a
 * folder a calibration wrote before (e.g. shards merged).
 */
public final class CalibrationOptions {

    @Option(names = "--calibration", paramLabel = "FILE",
            description = "Calibration text (UTF-8), or a folder of calibration statistics; needed by --method "
                    + "whitened and feature (default: none, no calibration).")
    Path calibration;

    @Option(names = "--calibration-tokens", paramLabel = "N", defaultValue = "2048",
            description = "Calibrate on the first N tokens of the text (default: ${DEFAULT-VALUE}).")
    int calibrationTokens;

    @Option(names = "--calibration-window", paramLabel = "L", defaultValue = "128",
            description = "Calibration window length in tokens (default: ${DEFAULT-VALUE}).")
    int calibrationWindow;

    /** Whether statistics were asked for. */
    boolean given() {
        return calibration != null;
    }

    /**
     * The statistics for {@code matrices}: the folder given, or a calibration of the text into
     * {@code scratch}.
     *
     * @throws InvalidInputException when the file does not exist or the text is shorter than one window
     */
    CalibrationStore statistics(ModelConfig config, TextTokenizer tokenizer, DecoderWeights weights,
                                List<MatrixRef> matrices, int threads, Path scratch) {
        if (!Files.exists(calibration)) {
            throw new InvalidInputException("--calibration " + calibration + ": does not exist");
        }
        if (Files.isDirectory(calibration)) {
            CalibrationStore store = new CalibrationStore(calibration);
            if (store.layers().isEmpty()) {
                throw new InvalidInputException("--calibration " + calibration + ": a folder without calibration "
                        + "statistics (layer-NNN.safetensors)");
            }
            return store;
        }
        if (calibrationTokens < 1) {
            throw new InvalidInputException("--calibration-tokens must be at least 1, got " + calibrationTokens);
        }
        WindowPlan plan = Evaluation.plan(config, tokenizer, List.of(calibration),
                ProtocolSpec.laserRmt(calibrationWindow).withMaxTokens(calibrationTokens));
        return CalibrationPass.run(weights, plan, matrices, scratch, threads, CalibrationPass.Progress.NONE);
    }

    /** A scratch folder for a calibration made on the fly. */
    static Path scratchFolder() {
        try {
            return Files.createTempDirectory("lasermesh-calibration");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch folder for calibration: " + e.getMessage(), e);
        }
    }

    /** Deletes a scratch folder and what it holds. */
    static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot delete the scratch calibration (" + e.getMessage() + ")", e);
        }
    }
}
