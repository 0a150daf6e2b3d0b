package dev.lasermesh.core.spectrum;

import dev.lasermesh.core.InvalidInputException;
import java.util.Locale;

/** Checks of the user-given parameters of rank policies, with messages that name the CLI option. */
final class PolicyParameters {

    private PolicyParameters() {
    }

    /**
     * Requires {@code value} in (0, 1], the range of a fraction, an energy or a parameter ratio.
     *
     * @throws InvalidInputException naming the parameter, its option and the value otherwise (NaN too)
     */
    static void requireInUnitInterval(double value, String parameter, String option) {
        if (!(value > 0 && value <= 1)) {
            throw new InvalidInputException(String.format(Locale.ROOT, "%s (%s) must be in (0, 1], got %s",
                    parameter, option, value));
        }
    }
}
