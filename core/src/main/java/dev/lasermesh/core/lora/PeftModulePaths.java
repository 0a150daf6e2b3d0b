package dev.lasermesh.core.lora;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.model.MatrixCatalogue;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModuleType;
import java.util.List;
import java.util.Optional;

/**
 * Where PEFT's module paths (the {@code named_modules()} names it writes into adapter tensor names,
 * e.g. {@code model.layers.5.mlp.down_proj}) meet the base model's matrix catalogue: the one place
 * that knows how a path is built, so that adapting this to another family touches only this class.
 *
 * <p>A path is parsed by its structure — {@code model.layers.<layer>.<block>.<module>} for a
 * per-layer matrix, the bare module path for embeddings and the head — into (layer, module); the
 * matrix is then looked up in the catalogue, and the path must be exactly that matrix's tensor name
 * without {@code .weight}. No substring matching (the laserRMT scripts' substring matches hit the
 * wrong matrices, see DESIGN §7.1).
 */
final class PeftModulePaths {

    private static final String WEIGHT_SUFFIX = ".weight";
    private static final String LAYERS = "layers";

    private final MatrixCatalogue catalogue;

    PeftModulePaths(MatrixCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * The matrix a module path names, or empty when the path is not one of the base model's matrices
     * (an unknown module, a layer out of range, a module in the wrong block).
     */
    Optional<MatrixRef> matrixOf(String modulePath) {
        String[] parts = modulePath.split("\\.", -1);
        ModuleType module;
        try {
            module = ModuleType.parse(parts[parts.length - 1]);
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
        int layer = layerOf(parts);
        if (module.perLayer() != (layer >= 0) || (layer >= catalogue.numLayers())) {
            return Optional.empty();
        }
        MatrixRef ref;
        try {
            ref = catalogue.get(layer, module);
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
        return ref != null && ref.name().equals(modulePath + WEIGHT_SUFFIX) ? Optional.of(ref) : Optional.empty();
    }

    /** The module path of a matrix: its tensor name without {@code .weight}. */
    static String pathOf(MatrixRef matrix) {
        String name = matrix.name();
        return name.endsWith(WEIGHT_SUFFIX) ? name.substring(0, name.length() - WEIGHT_SUFFIX.length()) : name;
    }

    /** Every module path of the base model's matrices, in catalogue order. */
    List<String> allPaths() {
        return catalogue.matrices().stream().map(PeftModulePaths::pathOf).toList();
    }

    /** The decoder layer named by {@code ...layers.<n>...}, or -1 when the path has none. */
    private static int layerOf(String[] parts) {
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equals(LAYERS) && parts[i + 1].matches("\\d{1,9}")) {
                return Integer.parseInt(parts[i + 1]);
            }
        }
        return -1;
    }
}
