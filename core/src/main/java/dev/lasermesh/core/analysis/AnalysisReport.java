package dev.lasermesh.core.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON document {@code lasermesh analyze --format json} prints:
 * {@code {"model":…, "policy":{"name":"fraction","fraction":0.1}, "backend":…, "matrices":[…]}}.
 *
 * @param model    the model path as given
 * @param policy   the rank policy: its {@code name} and the parameters that were set
 * @param backend  the linear algebra backend (and why it fell back, if it did)
 * @param matrices one entry per selected matrix, in catalogue order
 * @param note     why the matrices are a folder's 2-D tensors rather than its family's (the family in
 *                 config.json is unknown); absent otherwise
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisReport(String model, Map<String, Object> policy, String backend, List<MatrixReport> matrices,
                             String note) {

    public AnalysisReport {
        policy = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(policy));
        matrices = List.copyOf(matrices);
    }

    /** The policy object of the report: {@code name} first, then each parameter that was set. */
    public static Map<String, Object> policyView(RankPolicySpec spec) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", spec.policy());
        putIfSet(view, "fraction", spec.fraction());
        putIfSet(view, "energy", spec.energy());
        putIfSet(view, "rank", spec.rank());
        putIfSet(view, "params_ratio", spec.paramsRatio());
        return view;
    }

    private static void putIfSet(Map<String, Object> view, String key, Object value) {
        if (value != null) {
            view.put(key, value);
        }
    }
}
