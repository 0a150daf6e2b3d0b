package dev.lasermesh.contracts;

import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.family.ModelFamilies;
import dev.lasermesh.core.model.family.ModuleSpec;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which matrix of a model a message is about, addressed both by its tensor name and by its place in
 * the architecture (DESIGN §3: matrices are addressed by (layer, module), never by name matching).
 *
 * @param tensor the tensor name in the model's files, e.g. {@code model.layers.5.mlp.down_proj.weight}
 * @param layer  the decoder layer (0 = first), or −1 for a matrix outside the layers
 * @param module the module's short name in the model's family ({@link MatrixRef#module()}: {@code q},
 *               {@code down}, {@code embed}, {@code lm_head}, … for llama; {@code other} when the
 *               family is unknown)
 */
public record MatrixId(String tensor, int layer, String module) {

    /** Every family's module short names and {@code other}: the wire carries short names only. */
    private static final Set<String> SHORT_NAMES = Stream.concat(
                    ModelFamilies.all().stream().flatMap(f -> f.modules().stream()).map(ModuleSpec::shortName),
                    Stream.of(MatrixRef.OTHER))
            .collect(Collectors.toCollection(TreeSet::new));

    public MatrixId {
        Require.text(tensor, "tensor");
        if (layer < -1) {
            throw new ContractException("layer must be >= 0, or -1 outside the layers, got " + layer, "layer");
        }
        Require.text(module, "module");
        if (!SHORT_NAMES.contains(module)) {
            throw new ContractException("unknown module " + Quoted.of(module) + " (valid: " + String.join(", ", SHORT_NAMES)
                    + ")", "module");
        }
    }

    /** The id of a matrix from a model's catalogue. */
    public static MatrixId of(MatrixRef ref) {
        return new MatrixId(ref.name(), ref.layer(), ref.module());
    }
}
