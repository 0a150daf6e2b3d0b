package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a matrix is brought to rank k (DESIGN §7.4): {@code svd} truncates W's own SVD (LASER,
 * Eckart–Young in weight space); {@code whitened} is SVD-LLM's truncation-aware whitening (Wang et al.
 * 2024, arXiv 2403.07378, §3.1), optimal for the layer's output on the calibration inputs; {@code feature}
 * is SFSD-LLM's feature-space projection (Yadav et al., ACL 2024, arXiv 2405.13039, §3), optimal for
 * the centred outputs. The last two need calibration statistics.
 */
public enum ReductionMethod {
    SVD("singular values of W"),
    WHITENED("singular values of W·S, S = cholesky(XᵀX)"),
    FEATURE("square roots of the eigenvalues of the output covariance");

    private final String spectrum;

    ReductionMethod(String spectrum) {
        this.spectrum = spectrum;
    }

    /** The name on the command line and in job specs. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The spectrum a rank policy sees under this method, for reports. */
    public String spectrum() {
        return spectrum;
    }

    /** Whether the method needs calibration statistics. */
    public boolean needsCalibration() {
        return this != SVD;
    }

    /** The method named {@code name} (case-insensitive). */
    public static ReductionMethod parse(String name) {
        for (ReductionMethod m : values()) {
            if (m.cliName().equalsIgnoreCase(name.strip())) {
                return m;
            }
        }
        throw new InvalidInputException("unknown method \"" + name + "\" (expected one of "
                + Arrays.stream(values()).map(ReductionMethod::cliName).toList() + ")");
    }
}
