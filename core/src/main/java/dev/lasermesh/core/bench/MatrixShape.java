package dev.lasermesh.core.bench;

import java.util.Locale;

/** A benchmark matrix size, written {@code ROWSxCOLS}. */
public record MatrixShape(int rows, int cols) {

    public MatrixShape {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("matrix size " + rows + "x" + cols + " must be positive");
        }
    }

    /** Parses {@code 2048x5632}. */
    public static MatrixShape parse(String text) {
        String[] parts = text.strip().toLowerCase(Locale.ROOT).split("x");
        if (parts.length != 2 || !parts[0].matches("\\d{1,9}") || !parts[1].matches("\\d{1,9}")) {
            throw new IllegalArgumentException("matrix size '" + text + "' is not of the form ROWSxCOLS, e.g. 2048x5632");
        }
        return new MatrixShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    @Override
    public String toString() {
        return rows + "x" + cols;
    }
}
