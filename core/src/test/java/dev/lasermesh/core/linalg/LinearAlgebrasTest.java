package dev.lasermesh.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Backend selection: the switch, the real native load, and the fallback when loading fails. */
class LinearAlgebrasTest {

    private final AtomicInteger loadAttempts = new AtomicInteger();

    private final IntFunction<LinearAlgebra> failingLoader = threads -> {
        loadAttempts.incrementAndGet();
        throw new UnsatisfiedLinkError("no jniopenblas in java.library.path");
    };

    @Test
    void switchDefaultsToAutoAndPrefersThePropertyOverTheEnvironment() {
        assertEquals(BackendChoice.AUTO, LinearAlgebras.configuredChoice(null, null));
        assertEquals(BackendChoice.AUTO, LinearAlgebras.configuredChoice(" ", ""));
        assertEquals(BackendChoice.JAVA, LinearAlgebras.configuredChoice(null, "java"));
        assertEquals(BackendChoice.OPENBLAS, LinearAlgebras.configuredChoice(" OpenBLAS ", "java"));
    }

    @Test
    void unknownSwitchValueNamesItsSourceAndTheAcceptedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearAlgebras.configuredChoice(null, "cuda"));

        assertTrue(e.getMessage().contains("environment variable LASERMESH_LINALG = 'cuda'")
                && e.getMessage().contains("auto, openblas or java"), e.getMessage());
    }

    @Test
    void autoLoadsOpenBlasWhereItsNativesExist() {
        LinearAlgebra backend = LinearAlgebras.create(BackendChoice.AUTO, 1);

        assertInstanceOf(OpenBlasLinearAlgebra.class, backend);
        assertEquals("openblas", backend.name());
    }

    @Test
    void javaChoiceGivesThePureJavaBackendWithItsThreads() {
        LinearAlgebra backend = LinearAlgebras.create(BackendChoice.JAVA, 3);

        assertEquals(3, assertInstanceOf(JavaLinearAlgebra.class, backend).threads());
    }

    @Test
    void autoFallsBackToJavaOnceAndRemembersWhy() {
        LinearAlgebras selector = new LinearAlgebras(failingLoader);

        LinearAlgebra first = selector.select(BackendChoice.AUTO, 2);
        LinearAlgebra second = selector.select(BackendChoice.AUTO, 2);

        assertInstanceOf(JavaLinearAlgebra.class, first);
        assertInstanceOf(JavaLinearAlgebra.class, second);
        assertEquals(1, loadAttempts.get());
        assertEquals("UnsatisfiedLinkError: no jniopenblas in java.library.path", selector.failure().orElseThrow());
    }

    @Test
    void forcedOpenBlasFailsWithTheLoadersReason() {
        LinearAlgebras selector = new LinearAlgebras(failingLoader);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> selector.select(BackendChoice.OPENBLAS, 1));

        assertTrue(e.getMessage().contains("no jniopenblas in java.library.path"), e.getMessage());
    }
}
