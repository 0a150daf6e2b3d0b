package dev.lasermesh.core.scan;

/**
 * One module's result in a Spectrum scan.
 *
 * @param module the module name ({@code model.layers.0.mlp.down_proj})
 * @param type   Spectrum's weight type: the name after its first all-digit part ({@code mlp.down_proj}),
 *               or the whole name when it has none ({@code lm_head})
 * @param score  SNR/σmax (Spectrum's {@code snr} field)
 */
public record ScanEntry(String module, String type, double score) {
}
