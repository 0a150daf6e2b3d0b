package dev.lasermesh.core.lora;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What LASER reduces in the order study, on each side of the fine-tune: matrix → rank.
 *
 * @param onBase   ranks of the base matrices W (the {@code laser} and {@code laser-then-lora} variants)
 * @param onMerged ranks of the merged matrices W' ({@code lora-then-laser})
 * @param how      how the ranks were chosen, for the report (e.g. {@code one-shot laserrmt})
 */
public record LaserChoice(Map<String, Integer> onBase, Map<String, Integer> onMerged, String how) {

    public LaserChoice {
        onBase = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(onBase));
        onMerged = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(onMerged));
    }
}
