package dev.lasermesh.cli;

import dev.lasermesh.core.search.LaserGridSpec;
import dev.lasermesh.core.search.LaserRmtGreedySpec;
import dev.lasermesh.core.search.OneShotSpec;
import dev.lasermesh.core.search.SfsdSurgicalSpec;
import dev.lasermesh.core.search.SnrGreedySpec;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
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
            OneShotSpec.NAME, SfsdSurgicalSpec.NAME);

    private OptionValues() {
    }

    /** A number parsed and checked, the rule it breaks named in the message. */
    private abstract static class CheckedNumber<T> implements ITypeConverter<T> {
        private final Function<String, T> parse;
        private final String kind;
        private final Predicate<T> valid;
        private final String rule;

        CheckedNumber(Function<String, T> parse, String kind, Predicate<T> valid, String rule) {
            this.parse = parse;
            this.kind = kind;
            this.valid = valid;
            this.rule = rule;
        }

        @Override
        public T convert(String value) {
            T v;
            try {
                v = parse.apply(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not " + kind);
            }
            if (!valid.test(v)) {
                throw new TypeConversionException("'" + value + "' " + rule);
            }
            return v;
        }
    }

    /** A count of at least 1 (threads, matrices). */
    static final class PositiveInt extends CheckedNumber<Integer> {
        PositiveInt() {
            super(Integer::valueOf, "an integer", v -> v >= 1, "must be at least 1");
        }
    }

    /** A cap of at least 0, or -1 for no cap ({@code --max-accepted}). */
    static final class CapOrNone extends CheckedNumber<Integer> {
        CapOrNone() {
            super(Integer::valueOf, "an integer", v -> v >= -1, "must be at least 0, or -1 for no cap");
        }
    }

    /** A size of at least 0 ({@code --eval-cache-mb}; 0 turns the cache off). */
    static final class NonNegativeLong extends CheckedNumber<Long> {
        NonNegativeLong() {
            super(Long::valueOf, "an integer", v -> v >= 0, "must be at least 0");
        }
    }

    /**
     * A size in bytes written as for the JVM's {@code -Xmx}: digits with an optional binary unit k, m or
     * g (either case); no unit means bytes.
     */
    static final class ByteSize extends CheckedNumber<Long> {
        ByteSize() {
            super(ByteSize::parse, "a size such as 6g, 512m or 1048576", v -> v >= 0, "must not be negative");
        }

        private static Long parse(String text) {
            int shift = switch (text.isEmpty() ? ' ' : Character.toLowerCase(text.charAt(text.length() - 1))) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                default -> 0;
            };
            long value = Long.parseLong(shift == 0 ? text : text.substring(0, text.length() - 1));
            if (value > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException(text);
            }
            return value << shift;
        }
    }

    /** A rank fraction ρ in (0, 1] (LASER's ρ: keep ⌊ρ·min(m, n)⌋, at least 1). */
    static final class RankFraction extends CheckedNumber<Double> {
        RankFraction() {
            super(Double::valueOf, "a number", v -> v > 0 && v <= 1, "is not a rank fraction in (0, 1]");
        }
    }

    /** A share strictly between 0 and 1 ({@code --validation-fraction}: both parts must hold windows). */
    static final class OpenFraction extends CheckedNumber<Double> {
        OpenFraction() {
            super(Double::valueOf, "a number", v -> v > 0 && v < 1, "is not in (0, 1)");
        }
    }

    /** A list that must name something ({@code --modules}, {@code --layers}); leave the option out for all. */
    static final class Tolerance extends CheckedNumber<Double> {
        Tolerance() {
            super(Double::valueOf, "a number", v -> v >= 1 && v < Double.POSITIVE_INFINITY, "must be a finite number >= 1");
        }
    }

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
}
