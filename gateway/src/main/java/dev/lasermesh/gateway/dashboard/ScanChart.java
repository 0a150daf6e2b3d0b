package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.core.scan.ScanEntry;
import dev.lasermesh.core.scan.SpectrumScan;
import java.util.List;

/**
 * Spectrum's scan of a job's model for the dashboard (arXiv 2406.06623, DESIGN §7.3): the SNR/σmax
 * score of every module, grouped by Spectrum's weight type — the numbers {@code lasermesh scan} writes.
 *
 * @param model the model folder's name
 * @param types one per type, in Spectrum's type order
 */
public record ScanChart(String model, List<TypeScores> types) {

    /**
     * The modules of one type.
     *
     * @param type    Spectrum's weight type ({@code mlp.down_proj})
     * @param modules its modules in scan order, with their scores
     */
    public record TypeScores(String type, List<ScanEntry> modules) {
    }

    /** The chart of {@code scan}. */
    public static ScanChart of(SpectrumScan scan) {
        return new ScanChart(scan.modelName(), scan.byType().entrySet().stream()
                .map(e -> new TypeScores(e.getKey(), List.copyOf(e.getValue()))).toList());
    }
}
