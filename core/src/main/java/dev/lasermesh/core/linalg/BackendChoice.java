package dev.lasermesh.core.linalg;

import java.util.Locale;

/** Which linear algebra backend to use: the value of the {@link LinearAlgebras} switch. */
public enum BackendChoice {

    /** OpenBLAS when its native library loads, else pure Java. */
    AUTO,

    /** OpenBLAS or fail: for runs where falling back silently would distort timings. */
    OPENBLAS,

    /** Pure Java even where OpenBLAS would load. */
    JAVA;

    /**
     * Parses {@code auto|openblas|java} (case-insensitive, surrounding blanks ignored).
     *
     * @param source where the value came from, for the error message
     * @throws IllegalArgumentException naming the source and the accepted values
     */
    public static BackendChoice parse(String value, String source) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "auto" -> AUTO;
            case "openblas" -> OPENBLAS;
            case "java" -> JAVA;
            default -> throw new IllegalArgumentException(source + " = '" + value
                    + "' is not a linear algebra backend; use auto, openblas or java");
        };
    }
}
