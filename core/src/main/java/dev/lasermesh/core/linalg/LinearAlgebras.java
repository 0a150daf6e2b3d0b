package dev.lasermesh.core.linalg;

import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Picks the linear algebra backend: OpenBLAS when its native library loads, otherwise the pure-Java
 * one. The switch is the system property {@value #PROPERTY}, else the environment variable
 * {@value #ENVIRONMENT}, with values {@code auto} (default), {@code openblas} or {@code java}.
 *
 * <p>A failed native load is remembered (see {@link #nativeFailure()}), logged once as one warning
 * line, and not retried: later {@code auto} requests go straight to Java.
 */
public final class LinearAlgebras {

    public static final String PROPERTY = "lasermesh.linalg";
    public static final String ENVIRONMENT = "LASERMESH_LINALG";

    private static final System.Logger LOG = System.getLogger(LinearAlgebras.class.getName());
    private static final LinearAlgebras DEFAULT = new LinearAlgebras(OpenBlasLinearAlgebra::new);

    private final IntFunction<LinearAlgebra> nativeFactory;
    private volatile String nativeFailure;

    LinearAlgebras(IntFunction<LinearAlgebra> nativeFactory) {
        this.nativeFactory = nativeFactory;
    }

    /** The backend the switch selects, with one thread per available processor. */
    public static LinearAlgebra create() {
        return create(Runtime.getRuntime().availableProcessors());
    }

    /** The backend the switch selects, with the given thread count. */
    public static LinearAlgebra create(int threads) {
        return create(configuredChoice(), threads);
    }

    /**
     * The backend for an explicit choice.
     *
     * @throws IllegalStateException for {@link BackendChoice#OPENBLAS} when the native library
     *                               cannot load, with the loader's reason
     */
    public static LinearAlgebra create(BackendChoice choice, int threads) {
        return DEFAULT.select(choice, threads);
    }

    /** Why OpenBLAS could not be loaded in this process, if a load was attempted and failed. */
    public static Optional<String> nativeFailure() {
        return DEFAULT.failure();
    }

    /** The switch's value: the system property, else the environment variable, else auto. */
    public static BackendChoice configuredChoice() {
        return configuredChoice(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
    }

    static BackendChoice configuredChoice(String propertyValue, String environmentValue) {
        if (propertyValue != null && !propertyValue.isBlank()) {
            return BackendChoice.parse(propertyValue, "system property " + PROPERTY);
        }
        if (environmentValue != null && !environmentValue.isBlank()) {
            return BackendChoice.parse(environmentValue, "environment variable " + ENVIRONMENT);
        }
        return BackendChoice.AUTO;
    }

    LinearAlgebra select(BackendChoice choice, int threads) {
        return switch (choice) {
            case JAVA -> new JavaLinearAlgebra(threads);
            case OPENBLAS -> loadNative(threads).orElseThrow(() -> new IllegalStateException(
                    PROPERTY + " = openblas, but OpenBLAS cannot be loaded: " + nativeFailure));
            case AUTO -> loadNative(threads).orElseGet(() -> new JavaLinearAlgebra(threads));
        };
    }

    Optional<String> failure() {
        return Optional.ofNullable(nativeFailure);
    }

    private Optional<LinearAlgebra> loadNative(int threads) {
        if (nativeFailure != null) {
            return Optional.empty();
        }
        try {
            return Optional.of(nativeFactory.apply(threads));
        } catch (LinkageError e) {
            nativeFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "OpenBLAS unavailable ({0}); using the pure-Java linear algebra",
                    nativeFailure);
            return Optional.empty();
        }
    }
}
