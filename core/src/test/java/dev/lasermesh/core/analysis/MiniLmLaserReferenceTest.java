package dev.lasermesh.core.analysis;

import static dev.lasermesh.core.RelativeTolerance.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.linalg.BackendChoice;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.family.ModelFamilies;
import dev.lasermesh.core.model.family.ModelFamily;
import dev.lasermesh.core.model.family.ModuleSpec;
import dev.lasermesh.core.model.family.Scope;
import dev.lasermesh.core.model.family.TensorSpec;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import dev.lasermesh.core.tensor.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The all-MiniLM-L6-v2 fixture (a sentence-transformers BERT folder) through the bert family: the 36
 * linear matrices of the default selection against {@code minilm/reference.json → matrices}
 * (NumPy float64 singular values of the float32 weights, laserRMT's rule): k exact, threshold, σ and
 * SNR within 1e-9 relative, on both backends.
 */
class MiniLmLaserReferenceTest {

    private static final double TOLERANCE = 1e-9;

    /** The reference's module names (the Hugging Face paths) and the bert family's short names, as DESIGN §7.1 maps them. */
    private static final Map<String, String> SHORT_NAMES = Map.of(
            "attention.self.query", "q", "attention.self.key", "k", "attention.self.value", "v",
            "attention.output.dense", "o", "intermediate.dense", "up", "output.dense", "down");

    @ParameterizedTest
    @EnumSource(value = BackendChoice.class, names = {"OPENBLAS", "JAVA"})
    void theLaserRmtDecisionOfEveryLinearMatrixMatchesTheReference(BackendChoice backend) {
        JsonNode reference = Fixtures.json("minilm/reference.json").get("matrices");
        MatrixAnalyzer analyzer = new MatrixAnalyzer(LinearAlgebras.create(backend, 1), new LaserRmtPolicy());
        try (ModelSource model = ModelSource.open(Fixtures.path("minilm"))) {
            List<MatrixRef> selected = model.catalogue().defaultSelection();
            List<String> expectedOrder = new ArrayList<>();
            for (JsonNode ref : reference) {
                String where = ref.get("name").asText();
                MatrixRef matrix = model.catalogue().get(ref.get("layer").asInt(),
                        SHORT_NAMES.get(ref.get("module").asText()));
                assertEquals(where, matrix.name());
                assertEquals(List.of(ref.get("shape").get(0).asInt(), ref.get("shape").get(1).asInt()),
                        List.of(matrix.rows(), matrix.cols()), where);
                expectedOrder.add(matrix.name());
                SpectrumSummary s = analyzer.analyze(model, matrix).summary().orElseThrow();
                assertEquals(ref.get("k").asInt(), s.decision().k(), where + " k");
                assertRelative(ref.get("threshold").asDouble(), s.decision().threshold(), TOLERANCE, where + " threshold");
                assertRelative(ref.get("sigma").asDouble(), s.decision().inputs().get("sigma"), TOLERANCE, where + " sigma");
                assertRelative(ref.get("snr").asDouble(), s.snr(), TOLERANCE, where + " snr");
            }
            assertEquals(expectedOrder, selected.stream().map(MatrixRef::name).toList(),
                    "the default selection is the 6 layers × q, k, v, o, up, down, layer by layer");
        }
    }

    @Test
    void theBertFamilyNamesEveryTensorOfTheFixture() {
        ModelFamily bert = ModelFamilies.BERT;
        Stream<TensorSpec> named = Stream.concat(bert.modules().stream().filter(m -> !m.optional())
                .map(ModuleSpec::tensor), bert.tensors().stream().filter(t -> !t.key().startsWith("pooler")));
        Set<String> names = named.flatMap(t -> t.scope() == Scope.MODEL ? Stream.of(t.name(-1))
                : Stream.iterate(0, l -> l < 6, l -> l + 1).map(t::name)).collect(Collectors.toCollection(TreeSet::new));
        try (ModelSource model = ModelSource.open(Fixtures.path("minilm"))) {
            assertEquals(new TreeSet<>(model.tensors().tensors().stream().map(TensorInfo::name).toList()), names,
                    "the fixture has no pooler; every other tensor of a BertModel is named by the family");
        }
    }
}
