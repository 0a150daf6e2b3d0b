package dev.lasermesh.cli;

import dev.lasermesh.core.search.LaserGridSpec;
import dev.lasermesh.core.search.LaserRmtGreedySpec;
import dev.lasermesh.core.search.OneShotSpec;
import dev.lasermesh.core.search.SnrGreedySpec;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters that check an option's value while the command line is parsed, so a bad value is
 * reported at once, naming the option (picocli prefixes "Invalid value for option '--x'"), before
 * any model is opened or analysed.
 */
final class OptionValues {

    /** The strategies of {@code run --strategy}, in the order help lists them. */
    static final List<String> STRATEGIES = List.of(LaserRmtGreedySpec.NAME, SnrGreedySpec.NAME, LaserGridSpec.NAME,
            OneShotSpec.NAME);

    private OptionValues() {
    }

    /** A count of at least 1 (threads, matrices). */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v = integer(value);
            if (v < 1) {
                throw new TypeConversionException("'" + value + "' must be at least 1");
            }
            return v;
        }
    }

    /** A cap of at least 0, or -1 for no cap ({@code --max-accepted}). */
    static final class CapOrNone implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v = integer(value);
            if (v < -1) {
                throw new TypeConversionException("'" + value + "' must be at least 0, or -1 for no cap");
            }
            return v;
        }
    }

    /** A size of at least 0 ({@code --eval-cache-mb}; 0 turns the cache off). */
    static final class NonNegativeLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long v;
            try {
                v = Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not an integer");
            }
            if (v < 0) {
                throw new TypeConversionException("'" + value + "' must be at least 0");
            }
            return v;
        }
    }

    /** A rank fraction ρ in (0, 1] (LASER's ρ: keep ⌊ρ·min(m, n)⌋, at least 1). */
    static final class RankFraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = number(value);
            if (!(v > 0 && v <= 1)) {
                throw new TypeConversionException("'" + value + "' is not a rank fraction in (0, 1]");
            }
            return v;
        }
    }

    /** A share strictly between 0 and 1 ({@code --validation-fraction}: both parts must hold windows). */
    static final class OpenFraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = number(value);
            if (!(v > 0 && v < 1)) {
                throw new TypeConversionException("'" + value + "' is not in (0, 1)");
            }
            return v;
        }
    }

    /** A list that must name something ({@code --modules}, {@code --layers}); leave the option out for all. */
    static final class NonBlank implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("the list is empty; leave the option out to select all");
            }
            return value;
        }
    }

    /** One of {@link #STRATEGIES}. */
    static final class Strategy implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!STRATEGIES.contains(value)) {
                throw new TypeConversionException("'" + value + "' is not a strategy; valid: "
                        + String.join(", ", STRATEGIES));
            }
            return value;
        }
    }

    private static int integer(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not an integer");
        }
    }

    private static double number(String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
    }
}
