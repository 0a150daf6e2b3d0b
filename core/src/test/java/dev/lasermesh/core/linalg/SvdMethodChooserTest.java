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
    void gramEigenvaluesAreAcceptedDownToConditionNumber300() {
        assertTrue(SvdMethodChooser.gramAccurate(1.0, 300.0 * 300.0));
        assertFalse(SvdMethodChooser.gramAccurate(1.0, 300.0 * 300.0 * 1.001));
        assertFalse(SvdMethodChooser.gramAccurate(0.0, 0.0));
        assertFalse(SvdMethodChooser.gramAccurate(-1e-18, 1.0));
    }

    static Stream<Arguments> fixturesOnBothBackends() {
        JsonNode spectra = Fixtures.json("spectra/reference.json").get("matrices");
        JsonNode laser = Fixtures.json("tiny-llama/reference.json").get("laser").get("matrices");
        List<Arguments> cases = new ArrayList<>();
        for (KernelLinearAlgebra backend : BACKENDS) {
            spectra.fieldNames().forEachRemaining(name -> cases.add(Arguments.of(backend,
                    LinearAlgebraContractTest.spectraMatrix(name), spectra.get(name).get("condition_number").asDouble(),
                    name)));
            laser.fieldNames().forEachRemaining(tensor -> {
                double[] s = Fixtures.doubles(laser.get(tensor).get("singular_values"));
                cases.add(Arguments.of(backend, Fixtures.matrix("tiny-llama/model.safetensors", tensor),
                        s[0] / s[s.length - 1], tensor));
            });
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("fixturesOnBothBackends")
    void routeFollowsTheReferenceConditionNumber(KernelLinearAlgebra backend, DenseMatrix a, double condition,
                                                 String name) {
        SvdMethod expected = a.minDim() > SvdMethodChooser.DIRECT_MAX_DIMENSION
                && condition <= SvdMethodChooser.MAX_GRAM_CONDITION ? SvdMethod.GRAM_EIGENVALUES : SvdMethod.DIRECT_SVD;

        SingularValues result = backend.singularValuesWithMethod(a);

        assertEquals(expected, result.method(), backend.name() + " " + name + " (cond " + condition + ")");
        assertEquals(condition, result.conditionNumber(), 1e-6 * condition, name);
    }
}
