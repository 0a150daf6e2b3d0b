package dev.lasermesh.core.scan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A PEFT {@code LoraConfig} selection from a Spectrum scan, as laserRMT's {@code laserQlora.ipynb}
 * chooses it: for each of the seven projections (in the notebook's order v, k, o, q, down, up, gate)
 * the {@code topN} modules of highest SNR/σmax. PEFT can say this exactly in two ways: when every type
 * keeps the same layers, {@code target_modules} = the projection names and {@code layers_to_transform}
 * = those layers (null for all of them); otherwise {@code target_modules} = the full module names (PEFT
 * matches a module whose name ends with ".name") and {@code layers_to_transform} = null.
 *
 * @param topN              modules kept per type
 * @param perType           type → its kept modules, highest score first (the notebook's top-SNR JSON)
 * @param targetModules     PEFT's {@code target_modules}
 * @param layersToTransform PEFT's {@code layers_to_transform}, null for every layer
 */
public record PeftTargetSuggestion(int topN, Map<String, List<String>> perType, List<String> targetModules,
                                   List<Integer> layersToTransform) {

    /** laserQlora's types, in its order. */
    static final List<String> TYPES = List.of("self_attn.v_proj", "self_attn.k_proj", "self_attn.o_proj",
            "self_attn.q_proj", "mlp.down_proj", "mlp.up_proj", "mlp.gate_proj");

    /** laserQlora's default {@code top_n}. */
    public static final int DEFAULT_TOP_N = 16;

    /**
     * The suggestion for {@code scan}.
     *
     * @throws IllegalArgumentException when {@code topN} is not positive
     */
    public static PeftTargetSuggestion of(SpectrumScan scan, int topN) {
        if (topN < 1) {
            throw new IllegalArgumentException("top-n must be positive, got " + topN);
        }
        Map<String, List<ScanEntry>> byType = scan.byType();
        Map<String, List<String>> perType = new LinkedHashMap<>();
        List<Set<Integer>> layerSets = new ArrayList<>();
        boolean allLayers = true;
        for (String type : TYPES) {
            List<ScanEntry> entries = byType.getOrDefault(type, List.of());
            List<ScanEntry> kept = SpectrumScan.descending(entries).subList(0, Math.min(topN, entries.size()));
            perType.put(type, kept.stream().map(ScanEntry::module).toList());
            layerSets.add(new TreeSet<>(kept.stream().map(e -> LlamaModuleTree.layerOf(e.module())).toList()));
            allLayers &= kept.size() == entries.size();
        }
        boolean sameLayers = layerSets.stream().distinct().count() == 1;
        if (!sameLayers) {
            return new PeftTargetSuggestion(topN, perType, perType.values().stream().flatMap(List::stream).toList(), null);
        }
        List<String> leaves = TYPES.stream().map(t -> t.substring(t.indexOf('.') + 1)).toList();
        return new PeftTargetSuggestion(topN, perType, leaves, allLayers ? null : List.copyOf(layerSets.getFirst()));
    }
}
