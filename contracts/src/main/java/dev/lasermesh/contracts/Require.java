package dev.lasermesh.contracts;

import java.util.List;

/**
 * The field checks the records of this module run in their constructors, so that a message that
 * exists is well formed. Each failure is a {@link ContractException} naming the field, which
 * {@link Json#read} extends with the path of the enclosing objects.
 */
public final class Require {

    private Require() {
    }

    /** {@code value}, which must be present. */
    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new ContractException(field + " is missing", field);
        }
        return value;
    }

    /** {@code value}, which must be present and not blank. */
    public static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new ContractException(field + " must not be empty", field);
        }
        return value;
    }

    /** An unmodifiable copy of {@code values}, which must be present, non-empty and without nulls. */
    public static <T> List<T> nonEmpty(List<T> values, String field) {
        present(values, field);
        if (values.isEmpty()) {
            throw new ContractException(field + " must not be empty", field);
        }
        return elements(values, field);
    }

    /** An unmodifiable copy of {@code values}, which must be present (possibly empty) and without nulls. */
    public static <T> List<T> elements(List<T> values, String field) {
        present(values, field);
        for (int i = 0; i < values.size(); i++) {
            present(values.get(i), field + "[" + i + "]");
        }
        return List.copyOf(values);
    }

    /** {@code value}, which must be ≥ 0. */
    public static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new ContractException(field + " must be >= 0, got " + value, field);
        }
        return value;
    }

    /** {@code value}, which must be a finite number ≥ 0. */
    public static double nonNegative(double value, String field) {
        if (!(value >= 0.0) || Double.isInfinite(value)) {
            throw new ContractException(field + " must be a finite number >= 0, got " + value, field);
        }
        return value;
    }

    /** {@code value}, which must lie in [0, 1]. */
    public static double fraction(double value, String field) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new ContractException(field + " must be in [0, 1], got " + value, field);
        }
        return value;
    }
}
