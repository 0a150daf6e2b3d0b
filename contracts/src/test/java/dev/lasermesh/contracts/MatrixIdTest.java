package dev.lasermesh.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.tensor.DType;
import org.junit.jupiter.api.Test;

/** Matrices are named as core's catalogue addresses them: tensor name, layer, module short name. */
class MatrixIdTest {

    @Test
    void aCatalogueEntryBecomesAnIdAndBack() {
        MatrixRef ref = new MatrixRef("model.layers.4.mlp.gate_proj.weight", 4, "gate", 704, 256, DType.BF16);
        assertEquals(new MatrixId("model.layers.4.mlp.gate_proj.weight", 4, "gate"), MatrixId.of(ref));
        assertEquals("lm_head", MatrixId.of(new MatrixRef("lm_head.weight", -1, "lm_head", 1026, 256, DType.F32))
                .module());
        assertEquals("w1", MatrixId.of(new MatrixRef("model.layers.0.block_sparse_moe.experts.3.w1.weight", 0, "w1",
                3, 24, 16, DType.F32)).module(), "any family's short name");
    }

    @Test
    void moduleAndLayerMustBeValid() {
        ContractException module = assertThrows(ContractException.class, () -> new MatrixId("w", 0, "gate_proj"));
        assertEquals("module", module.field(), "the wire carries short names only");
        assertEquals("module", assertThrows(ContractException.class, () -> new MatrixId("w", 0, "attn")).field());
        assertEquals("layer", assertThrows(ContractException.class, () -> new MatrixId("w", -2, "q")).field());
        assertEquals("tensor", assertThrows(ContractException.class, () -> new MatrixId(" ", 0, "q")).field());
    }
}
