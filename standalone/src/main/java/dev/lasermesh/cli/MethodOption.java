package dev.lasermesh.cli;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.calibrate.CalibrationStore;
import dev.lasermesh.core.calibrate.MethodDecompositions;
import dev.lasermesh.core.calibrate.ReductionMethod;
import dev.lasermesh.core.linalg.LinearAlgebra;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** {@code --method}: how matrices are brought to rank k (DESIGN §7.4), shared by {@code reduce} and {@code run}. */
public final class MethodOption {

    @Option(names = "--method", paramLabel = "NAME", defaultValue = "svd",
            description = "svd (LASER: W's own SVD), whitened (SVD-LLM) or feature (SFSD); the last two need "
                    + "--calibration (default: ${DEFAULT-VALUE}).")
    String method;

    /** The method asked for, refused when it needs a calibration that was not given. */
    ReductionMethod method(CalibrationOptions calibration) {
        ReductionMethod m = ReductionMethod.parse(method);
        if (m.needsCalibration() && !calibration.given()) {
            throw new InvalidInputException("--method " + m.cliName() + " needs calibration text: --calibration FILE");
        }
        return m;
    }

    /**
     * The decompositions of the method asked for, with the statistics {@code statistics} calibrates;
     * empty for plain SVD without calibration, today's path (W's own spectrum, no activation errors).
     */
    Optional<MethodDecompositions> decompositions(CalibrationOptions calibration, Supplier<CalibrationStore> statistics,
                                                  LinearAlgebra linearAlgebra) {
        ReductionMethod chosen = method(calibration);
        if (chosen == ReductionMethod.SVD && !calibration.given()) {
            return Optional.empty();
        }
        return Optional.of(new MethodDecompositions(chosen, statistics.get(), linearAlgebra));
    }
}
