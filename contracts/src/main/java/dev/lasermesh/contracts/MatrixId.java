package dev.lasermesh.contracts;

import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModuleType;
import java.util.Arrays;

/**
 * Which matrix of a model a message is about, addressed both by its tensor name and by its place in
 * the architecture (DESIGN §3: matrices are addressed by (layer, module), never by name matching).
 *
 * @param tensor the tensor name in the model's files, e.g. {@code model.layers.5.mlp.down_proj.weight}
 * @param layer  the decoder layer (0 = first), or −1 for a matrix outside the layers
 * @param module the module type as users type it ({@link ModuleType#shortName()}: {@code q}, {@code k},
 *               {@code v}, {@code o}, {@code gate}, {@code up}, {@code down}, {@code embed},
 *               {@code lm_head}, {@code other})
 */
public record MatrixId(String tensor, int layer, String module) {

    public MatrixId {
        Require.text(tensor, "tensor");
        if (layer < -1) {
            throw new ContractException("layer must be >= 0, or -1 outside the layers, got " + layer, "layer");
        }
        Require.text(module, "module");
        moduleType(module);
    }

    /** The id of a matrix from a model's catalogue. */
    public static MatrixId of(MatrixRef ref) {
        return new MatrixId(ref.name(), ref.layer(), ref.module().shortName());
    }

    /** The module as core's enum. */
    public ModuleType moduleType() {
        return moduleType(module);
    }

    private static ModuleType moduleType(String module) {
        return Arrays.stream(ModuleType.values()).filter(t -> t.shortName().equals(module)).findFirst()
                .orElseThrow(() -> new ContractException("unknown module " + Quoted.of(module) + " (valid: "
                        + String.join(", ", Arrays.stream(ModuleType.values()).map(ModuleType::shortName).toList())
                        + ")", "module"));
    }
}
