package dev.lasermesh.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared method-choice rule, on its own and as both backends apply it: the expected route of
 * each fixture follows from the rule and the condition number in the independent reference.
 */
class SvdMethodChooserTest {

    private static final List<KernelLinearAlgebra> BACKENDS = List.of(new OpenBlasLinearAlgebra(1),
            new JavaLinearAlgebra(1));

    @Test
    void smallMatricesGoStraightToTheDirectSvd() {
        assertFalse(SvdMethodChooser.tryGramForValues(128, 5000));
        assertFalse(SvdMethodChooser.tryGramForValues(5000, 128));
        assertTrue(SvdMethodChooser.tryGramForValues(129, 129));
    }

    @Test
    void topKUsesTheGramRouteUpToAQuarterOfTheSmallerSide() {
        assertTrue(SvdMethodChooser.tryGramForTopK(256, 704, 64));
        assertFalse(SvdMethodChooser.tryGramForTopK(256, 704, 65));
        assertFalse(SvdMethodChooser.tryGramForTopK(704, 256, 0));
        assertFalse(SvdMethodChooser.tryGramForTopK(128, 704, 8));
    }

    @Test
    void gramValuesAreAcceptedWhereTheirBoundMeetsOneInABillion() {
        double largest = 1.0;
        double limit = SingularValueBounds.gramEigenvalueError(largest) / (2 * SvdMethodChooser.REQUIRED_RELATIVE_ACCURACY);
        assertEquals(0, SvdMethodChooser.unresolvedCount(new double[] {limit, 0.5, largest}));
        assertEquals(1, SvdMethodChooser.unresolvedCount(new double[] {limit * 0.999, 0.5, largest}));
        assertEquals(2, SvdMethodChooser.unresolvedCount(new double[] {-1e-18, limit * 0.999, largest}));
        assertEquals(1500.0, 1 / Math.sqrt(limit), 2.0, "cond up to about 1500 needs no refinement");
    }

    @Test
    void deflationIsUsedWhileAtMostHalfTheValuesNeedRefining() {
        assertTrue(SvdMethodChooser.deflationPays(150, 300));
        assertFalse(SvdMethodChooser.deflationPays(151, 300));
        assertEquals(1, SvdMethodChooser.trailingVectorsNeeded(new double[] {0.0, 1.0, 1.0}));
        assertEquals(0, SvdMethodChooser.trailingVectorsNeeded(new double[] {0.0, 0.0, 1.0}));
    }

    @Test
    void topKGramVectorsAreAcceptedDownToConditionNumber300() {
        assertTrue(SvdMethodChooser.gramVectorsAccurate(1.0, 300.0 * 300.0));
        assertFalse(SvdMethodChooser.gramVectorsAccurate(1.0, 300.0 * 300.0 * 1.001));
        assertFalse(SvdMethodChooser.gramVectorsAccurate(0.0, 0.0));
        assertFalse(SvdMethodChooser.gramVectorsAccurate(-1e-18, 1.0));
    }

    static Stream<Arguments> fixturesOnBothBackends() {
        JsonNode spectra = Fixtures.json("spectra/reference.json").get("matrices");
        JsonNode laser = Fixtures.json("tiny-llama/reference.json").get("laser").get("matrices");
        List<Arguments> cases = new ArrayList<>();
        for (KernelLinearAlgebra backend : BACKENDS) {
            spectra.fieldNames().forEachRemaining(name -> cases.add(Arguments.of(backend,
                    LinearAlgebraContractTest.spectraMatrix(name),
                    Fixtures.doubles(spectra.get(name).get("singular_values")), name)));
            laser.fieldNames().forEachRemaining(tensor -> cases.add(Arguments.of(backend,
                    Fixtures.matrix("tiny-llama/model.safetensors", tensor),
                    Fixtures.doubles(laser.get(tensor).get("singular_values")), tensor)));
        }
        return cases.stream();
    }

    /** The route the rule gives for the reference's own singular values (NumPy's, independent of ours). */
    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("fixturesOnBothBackends")
    void routeFollowsTheReferenceSpectrum(KernelLinearAlgebra backend, DenseMatrix a, double[] reference, String name) {
        double[] ascending = new double[reference.length];
        for (int i = 0; i < reference.length; i++) {
            ascending[i] = reference[reference.length - 1 - i] * reference[reference.length - 1 - i];
        }
        int unresolved = SvdMethodChooser.unresolvedCount(ascending);
        SvdMethod expected = a.minDim() <= SvdMethodChooser.DIRECT_MAX_DIMENSION ? SvdMethod.DIRECT_SVD
                : unresolved == 0 ? SvdMethod.GRAM_EIGENVALUES
                : SvdMethodChooser.deflationPays(unresolved, reference.length) ? SvdMethod.DEFLATED_GRAM
                : SvdMethod.DIRECT_SVD;
        double condition = reference[0] / reference[reference.length - 1];

        SingularValues result = backend.singularValuesWithMethod(a);

        assertEquals(expected, result.method(), backend.name() + " " + name + " (cond " + condition + ")");
        assertEquals(condition, result.conditionNumber(), 1e-6 * condition, name);
    }
}
