package dev.lasermesh.core.scan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scores of a Spectrum scan in scan order, and the files Spectrum makes of them: the JSON of all
 * scores and, per top percentage, the YAML {@code unfrozen_parameters} list (the rules of
 * {@code fixtures/tools/spectrum_reference.py}).
 *
 * @param modelName the model name Spectrum was given (it names the files)
 * @param entries   one per scanned module, in scan order
 */
public record SpectrumScan(String modelName, List<ScanEntry> entries) {

    public SpectrumScan {
        entries = List.copyOf(entries);
    }

    /** Spectrum's file-name form of the model name: '/' and '_' replaced by '-'. */
    public String slug() {
        return modelName.replace('/', '-').replace('_', '-');
    }

    /** {@code snr_results_<slug>.json}. */
    public String jsonFileName() {
        return "snr_results_" + slug() + ".json";
    }

    /** {@code snr_results_<slug>_unfrozenparameters_<P>percent.yaml}. */
    public String yamlFileName(int topPercent) {
        return "snr_results_" + slug() + "_unfrozenparameters_" + topPercent + "percent.yaml";
    }

    /**
     * The JSON as {@code json.dump(results, f, indent=4)} writes it: {@code {module: {"snr": score,
     * "type": type}}} in scan order, Python's float repr, no newline at the end.
     */
    public String json() {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < entries.size(); i++) {
            ScanEntry e = entries.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("    \"").append(e.module()).append("\": {\n")
                    .append("        \"snr\": ").append(PythonFloats.repr(e.score())).append(",\n")
                    .append("        \"type\": \"").append(e.type()).append("\"\n    }");
        }
        return out.append(entries.isEmpty() ? "}" : "\n}").toString();
    }

    /**
     * The YAML for {@code topPercent}: {@code unfrozen_parameters:}, the head and the embeddings first,
     * then per type (in first-seen order) a comment and the first ⌊len·P/100⌋ modules of that type by
     * score, descending, ties in scan order; a newline after every line.
     *
     * @throws IllegalArgumentException when the percentage is outside [0, 100]
     */
    public String yaml(int topPercent) {
        if (topPercent < 0 || topPercent > 100) {
            throw new IllegalArgumentException("top percent must be in [0, 100], got " + topPercent);
        }
        StringBuilder out = new StringBuilder("unfrozen_parameters:\n- ^lm_head.weight$\n- ^model.embed_tokens.weight$\n");
        byType().forEach((type, modules) -> {
            out.append("# ").append(type).append(" layers\n");
            int count = (int) ((double) (modules.size() * topPercent) / 100);
            descending(modules).subList(0, count).forEach(m -> out.append("- ").append(m.module()).append('\n'));
        });
        return out.toString();
    }

    /** The entries grouped by type, types in first-seen order, entries in scan order. */
    public Map<String, List<ScanEntry>> byType() {
        Map<String, List<ScanEntry>> groups = new LinkedHashMap<>();
        entries.forEach(e -> groups.computeIfAbsent(e.type(), t -> new ArrayList<>()).add(e));
        return groups;
    }

    /** The entries by score, descending; equal scores keep their order (a stable sort, as Python's). */
    static List<ScanEntry> descending(List<ScanEntry> entries) {
        List<ScanEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingDouble(ScanEntry::score).reversed());
        return sorted;
    }
}
