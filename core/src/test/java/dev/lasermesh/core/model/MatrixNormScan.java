package dev.lasermesh.core.model;

import dev.lasermesh.core.tensor.TensorInfo;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link SyntheticModelIT}: opens a model and decodes its matrices one at a
 * time, printing each one's name, element count and sum of squares, then the number of norm
 * weights that are not exactly 1 and the JVM's heap limit.
 */
public final class MatrixNormScan {

    private MatrixNormScan() {
    }

    public static void main(String[] args) {
        try (ModelSource model = ModelSource.open(Path.of(args[0]))) {
            for (MatrixRef ref : model.catalogue().matrices()) {
                float[] values = model.tensors().readFloats(ref.name());
                double squares = 0;
                for (float v : values) {
                    squares += (double) v * v;
                }
                System.out.println("matrix " + ref.name() + " " + values.length + " " + squares);
            }
            long notOne = 0;
            for (TensorInfo t : model.tensors().tensors()) {
                if (t.rank() == 1) {
                    for (float v : model.tensors().readFloats(t.name())) {
                        notOne += v == 1f ? 0 : 1;
                    }
                }
            }
            System.out.println("norm-values-not-one " + notOne);
            System.out.println("max-heap " + Runtime.getRuntime().maxMemory());
        }
    }
}
