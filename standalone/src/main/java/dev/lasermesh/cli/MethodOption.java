package dev.lasermesh.cli;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.calibrate.ReductionMethod;
import picocli.CommandLine.Option;

/** {@code --method}: how matrices are brought to rank k (DESIGN §7.4). */
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
}
