package dev.lasermesh.core.lora;

import dev.lasermesh.core.model.MatrixCatalogue;
import dev.lasermesh.core.model.MatrixRef;
import java.util.List;
import java.util.Optional;

/**
 * Where PEFT's module paths (the {@code named_modules()} names it writes into adapter tensor names,
 * e.g. {@code model.layers.5.mlp.down_proj}) meet the base model's matrix catalogue: the one place
 * that knows how a path is built, so that adapting this to another family touches only this class.
 *
 * <p>A path names a matrix when it is exactly that matrix's tensor name in the base model's catalogue
 * without {@code .weight} — the catalogue knows every family's names (layers, blocks, prefixes), so
 * there is no parsing here and no substring matching (the laserRMT scripts' substring matches hit the
 * wrong matrices, see DESIGN §7.1).
 */
final class PeftModulePaths {

    private static final String WEIGHT_SUFFIX = ".weight";

    private final MatrixCatalogue catalogue;

    PeftModulePaths(MatrixCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * The matrix a module path names, or empty when the path is not one of the base model's matrices
     * (an unknown module, a layer out of range, a module in the wrong block): the path plus
     * {@code .weight} must be exactly a matrix's tensor name in the catalogue.
     */
    Optional<MatrixRef> matrixOf(String modulePath) {
        String name = modulePath + WEIGHT_SUFFIX;
        return catalogue.contains(name) ? Optional.of(catalogue.byName(name)) : Optional.empty();
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
}
