package dev.lasermesh.cli;

import dev.lasermesh.core.model.MatrixCatalogue;
import dev.lasermesh.core.model.MatrixRef;
import java.util.List;
import picocli.CommandLine.Option;

/** Which matrices of a model a command works on. */
public final class SelectionOptions {

    @Option(names = "--layers", paramLabel = "SPEC", converter = OptionValues.NonBlank.class,
            description = "Layers, e.g. 0-5 or 0,2,4-5 (default: all).")
    String layers;

    @Option(names = "--modules", paramLabel = "LIST", converter = OptionValues.NonBlank.class,
            description = "Module types, e.g. q,k,v,o,gate,up,down (default: those seven; embed and lm_head on request).")
    String modules;

    @Option(names = "--matrix", paramLabel = "NAME",
            description = "A tensor by its full name (repeatable); replaces --layers/--modules (default: none, "
                    + "the matrices --layers and --modules select).")
    List<String> names;

    /**
     * The selected matrices of {@code catalogue}, in catalogue order. A bare safetensors file has no
     * architecture, so without a selection every 2-D tensor in it is a matrix.
     */
    public List<MatrixRef> select(MatrixCatalogue catalogue) {
        if (names != null && !names.isEmpty()) {
            return catalogue.selectByName(names);
        }
        if (!catalogue.architectureKnown() && layers == null && modules == null) {
            return catalogue.matrices();
        }
        return catalogue.select(layers, modules);
    }
}
