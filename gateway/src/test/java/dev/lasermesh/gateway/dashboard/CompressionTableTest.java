package dev.lasermesh.gateway.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.core.tensor.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameters and bytes per module type, with the contract's worked example (docs/contracts.md, "Reduction"). */
class CompressionTableTest {

    /** A reduction's output; the table reads only its rank and bytes. */
    private static ReductionOutput reduced(int rank, long bytesBefore, long bytesAfter) {
        TensorRef dense = new TensorRef("jobs/j/reduced/w.safetensors", "w", DType.F32, List.of(256L, 704L), "0".repeat(64));
        return new ReductionOutput(new Overlay("w", List.of(dense)), rank, 1.0, 0.5, bytesBefore, bytesAfter, 0.1, "cpu");
    }

    @Test
    void sumsPerModuleTypeAndInTotal() {
        // down 256x704 F32 at k=48 factored: 720896 bytes before, (256*48 + 48*704)*4 = 184320 after.
        CompressionTable table = CompressionTable.of(List.of(
                new MatrixFootprint("down", 256, 704, DType.F32, reduced(48, 720896, 184320)),
                new MatrixFootprint("q", 256, 256, DType.F32, null),
                new MatrixFootprint("down", 256, 704, DType.BF16, reduced(10, 360448, 360448))));
        assertEquals(List.of("down", "q"), table.modules().stream().map(CompressionTable.Row::module).toList());
        CompressionTable.Row down = table.modules().get(0);
        assertEquals(2, down.matrices());
        assertEquals(2, down.reduced());
        assertEquals(2 * 180224, down.parametersBefore());
        assertEquals(2 * 180224, down.parametersDense());
        assertEquals(48 * 960 + 10 * 960, down.parametersFactored());
        assertEquals(720896 + 360448, down.bytesBefore());
        assertEquals(184320 + 10 * 960 * 2, down.bytesFactored());
        assertEquals(184320 + 360448, down.bytesWritten());
        CompressionTable.Row q = table.modules().get(1);
        assertEquals(0, q.reduced());
        assertEquals(65536, q.parametersFactored(), "a matrix kept whole stays dense");
        assertEquals(262144, q.bytesWritten());
        CompressionTable.Row total = table.total();
        assertEquals("all", total.module());
        assertEquals(3, total.matrices());
        assertEquals(2, total.reduced());
        assertEquals(down.parametersFactored() + q.parametersFactored(), total.parametersFactored());
        assertEquals(down.bytesWritten() + q.bytesWritten(), total.bytesWritten());
    }

    @Test
    void noMatricesMakeAnEmptyTable() {
        CompressionTable table = CompressionTable.of(List.of());
        assertEquals(List.of(), table.modules());
        assertEquals(0, table.total().parametersBefore());
    }
}
