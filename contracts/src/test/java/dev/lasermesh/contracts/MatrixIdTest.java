package dev.lasermesh.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModuleType;
import dev.lasermesh.core.tensor.DType;
import org.junit.jupiter.api.Test;

/** Matrices are named as core's catalogue addresses them: tensor name, layer, module short name. */
class MatrixIdTest {

    @Test
    void aCatalogueEntryBecomesAnIdAndBack() {
        MatrixRef ref = new MatrixRef(ModuleType.GATE.tensorName(4), 4, ModuleType.GATE, 704, 256, DType.BF16);
        MatrixId id = MatrixId.of(ref);
        assertEquals(new MatrixId("model.layers.4.mlp.gate_proj.weight", 4, "gate"), id);
        assertEquals(ModuleType.GATE, id.moduleType());
        assertEquals(ModuleType.LM_HEAD, MatrixId.of(new MatrixRef("lm_head.weight", -1, ModuleType.LM_HEAD, 1026, 256,
                DType.F32)).moduleType());
    }

    @Test
    void moduleAndLayerMustBeValid() {
        ContractException module = assertThrows(ContractException.class, () -> new MatrixId("w", 0, "gate_proj"));
        assertEquals("module", module.field(), "the wire carries short names only");
        assertEquals("layer", assertThrows(ContractException.class, () -> new MatrixId("w", -2, "q")).field());
        assertEquals("tensor", assertThrows(ContractException.class, () -> new MatrixId(" ", 0, "q")).field());
    }
}
