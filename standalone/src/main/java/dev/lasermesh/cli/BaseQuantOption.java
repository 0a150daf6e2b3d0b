package dev.lasermesh.cli;

import dev.lasermesh.core.lora.BaseQuantization;
import picocli.CommandLine.Option;

/** {@code --base-quant}: what the adapter was trained against (DESIGN §7.3). */
public final class BaseQuantOption {

    @Option(names = "--base-quant", paramLabel = "none|nf4", defaultValue = "none",
            description = "The base as the adapter saw it: none, or nf4 for a QLoRA adapter (NF4 round trip of the "
                    + "decoder-layer linears, blocks of 64, float32 absmax) (default: ${DEFAULT-VALUE}).")
    String baseQuant;

    /** The parsed quantization. */
    BaseQuantization quantization() {
        return BaseQuantization.parse(baseQuant);
    }
}
