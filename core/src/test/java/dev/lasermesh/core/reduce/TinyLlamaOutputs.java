package dev.lasermesh.core.reduce;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.analysis.MatrixAnalyzer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.spectrum.LaserRmtPolicy;
import dev.lasermesh.core.spectrum.RankPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reduced copies of a fixture model written by the standalone's writer, for tests of what reads them. */
public final class TinyLlamaOutputs {

    /** The matrices of tiny-llama/reference.json's laser section (laserRMT k 89 and 58). */
    public static final String DOWN_5 = "model.layers.5.mlp.down_proj.weight";
    public static final String Q_2 = "model.layers.2.self_attn.q_proj.weight";

    private TinyLlamaOutputs() {
    }

    /** tiny-llama with {@code matrices} truncated at their laserRMT rank, written to {@code out} in {@code form}. */
    public static ReductionReport laserRmt(Path out, StorageForm form, String... matrices) {
        Map<String, RankPolicy> policies = new LinkedHashMap<>();
        for (String m : matrices) {
            policies.put(m, new LaserRmtPolicy());
        }
        return write(Fixtures.path("tiny-llama"), out, form, policies);
    }

    /** {@code model} with each matrix of {@code policies} truncated at the rank its policy decides. */
    public static ReductionReport write(Path model, Path out, StorageForm form, Map<String, RankPolicy> policies) {
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        try (ModelSource source = ModelSource.open(model)) {
            List<MatrixAnalysis> analyses = new ArrayList<>();
            policies.forEach((name, policy) -> analyses.add(new MatrixAnalyzer(linearAlgebra, policy)
                    .analyze(source, source.catalogue().byName(name))));
            return new ReducedModelWriter(linearAlgebra).write(source, analyses, form, out,
                    Map.of("name", "per-matrix"), (done, total, name) -> { });
        }
    }
}
