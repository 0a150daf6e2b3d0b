package dev.lasermesh.core.scan;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr} of a float, as {@code json.dump} writes numbers: the shortest decimal that
 * reads back as the same double (Java's {@link Double#toString} finds the same digits since JDK 19,
 * Giulietti's algorithm, except that Java prints at least two digits, so a value whose shortest form has
 * one digit, such as 5e-324, is shortened here), printed in positional notation for decimal exponents −4 ≤ e &lt; 16 (with
 * {@code .0} for integers) and as {@code d.ddde±XX} otherwise (Python's {@code float_repr_style
 * 'short'}, {@code format(x, 'r')}); infinities and NaN as {@code json} writes them.
 */
final class PythonFloats {

    private PythonFloats() {
    }

    static String repr(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "Infinity" : "-Infinity";
        }
        if (x == 0) {
            return 1 / x > 0 ? "0.0" : "-0.0";
        }
        String sign = x < 0 ? "-" : "";
        BigDecimal shortest = shortest(Math.abs(x));
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        if (exponent >= -4 && exponent < 16) {
            String plain = shortest.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(java.util.Locale.ROOT, "%02d",
                Math.abs(exponent));
    }

    /** The shortest decimal that reads back as {@code x} (positive, finite). */
    private static BigDecimal shortest(double x) {
        BigDecimal printed = new BigDecimal(Double.toString(x)).stripTrailingZeros();
        if (printed.precision() == 2) {
            BigDecimal one = printed.round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(one.toString()) == x) {
                return one.stripTrailingZeros();
            }
        }
        return printed;
    }
}
