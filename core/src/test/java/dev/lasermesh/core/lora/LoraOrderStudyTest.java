package dev.lasermesh.core.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lasermesh.core.lora.MatrixRecipe.Kind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The variants of the order study as a pure function of matrix names and ranks. */
class LoraOrderStudyTest {

    private static final String Q = "model.layers.1.self_attn.q_proj.weight";
    private static final String UP = "model.layers.1.mlp.up_proj.weight";
    private static final String GATE = "model.layers.1.mlp.gate_proj.weight";

    private static Map<String, StudyVariant> byName(List<StudyVariant> variants) {
        return variants.stream().collect(Collectors.toMap(StudyVariant::name, v -> v));
    }

    @Test
    void eachVariantReplacesWhatItsNameSays() {
        LaserChoice laser = new LaserChoice(Map.of(Q, 10, GATE, 20), Map.of(Q, 9, GATE, 20), "one-shot laserrmt");
        Map<String, StudyVariant> v = byName(LoraOrderStudy.variants(List.of(), List.of(Q, UP), laser));
        assertEquals(List.of(), v.get("base").recipes());
        assertEquals(List.of(new MatrixRecipe(Q, Kind.MERGED, 0), new MatrixRecipe(UP, Kind.MERGED, 0)),
                v.get("merged").recipes());
        assertEquals(Set.of(new MatrixRecipe(Q, Kind.LASER, 10), new MatrixRecipe(GATE, Kind.LASER, 20)),
                Set.copyOf(v.get("laser").recipes()));
        assertEquals(Set.of(new MatrixRecipe(Q, Kind.MERGED_THEN_LASER, 9), new MatrixRecipe(UP, Kind.MERGED, 0),
                new MatrixRecipe(GATE, Kind.LASER, 20)), Set.copyOf(v.get("lora-then-laser").recipes()));
        assertEquals(Set.of(new MatrixRecipe(Q, Kind.LASER_THEN_MERGED, 10), new MatrixRecipe(UP, Kind.MERGED, 0),
                new MatrixRecipe(GATE, Kind.LASER, 20)), Set.copyOf(v.get("laser-then-lora").recipes()));
    }

    @Test
    void aQuantizedBaseUnderliesEveryVariant() {
        LaserChoice laser = new LaserChoice(Map.of(Q, 10), Map.of(Q, 9), "one-shot laserrmt");
        Map<String, StudyVariant> v = byName(LoraOrderStudy.variants(List.of(Q, UP, GATE), List.of(Q), laser));
        assertEquals(Set.of(new MatrixRecipe(Q, Kind.BASE, 0), new MatrixRecipe(UP, Kind.BASE, 0),
                new MatrixRecipe(GATE, Kind.BASE, 0)), Set.copyOf(v.get("base").recipes()));
        assertEquals(Set.of(new MatrixRecipe(Q, Kind.LASER, 10), new MatrixRecipe(UP, Kind.BASE, 0),
                new MatrixRecipe(GATE, Kind.BASE, 0)), Set.copyOf(v.get("laser").recipes()));
        assertEquals(Set.of(new MatrixRecipe(Q, Kind.MERGED, 0), new MatrixRecipe(UP, Kind.BASE, 0),
                new MatrixRecipe(GATE, Kind.BASE, 0)), Set.copyOf(v.get("merged").recipes()));
    }
}
