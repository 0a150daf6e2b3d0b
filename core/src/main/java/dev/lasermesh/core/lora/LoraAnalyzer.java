package dev.lasermesh.core.lora;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.spectrum.RankPolicy;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import java.util.List;

/**
 * {@code lora analyze} for one adapted matrix: reads W (through the base quantization), merges W' as
 * a merged model would store it, computes both spectra with the backend, ΔW's spectrum from the
 * factors ({@link LowRankDelta#spectrum}) and its overlap with W's top-k subspace (k = the policy's
 * rank of W). One matrix in memory at a time.
 */
public final class LoraAnalyzer {

    private final LinearAlgebra linearAlgebra;
    private final RankPolicy policy;

    public LoraAnalyzer(LinearAlgebra linearAlgebra, RankPolicy policy) {
        this.linearAlgebra = linearAlgebra;
        this.policy = policy;
    }

    public AdaptedMatrixAnalysis analyze(BaseWeights base, LoraAdapter adapter, AdaptedMatrix adapted) {
        MatrixRef m = adapted.matrix();
        DenseMatrix w = base.read(m);
        LowRankDelta delta = adapter.delta(adapted);
        DenseMatrix merged = LoraMerge.rounded(w, delta, m.dtype());
        SpectrumSide before = SpectrumSide.of(spectrum(w), policy);
        SpectrumSide after = SpectrumSide.of(spectrum(merged), policy);
        DeltaSpectrum deltaSpectrum = delta.spectrum(linearAlgebra);
        SubspaceOverlap overlap = SubspaceOverlap.of(linearAlgebra.topK(w, before.k()), deltaSpectrum, linearAlgebra);
        double deltaNorm = deltaSpectrum.frobeniusNorm();
        return new AdaptedMatrixAnalysis(m.name(), m.label(), List.of(m.rows(), m.cols()), before, after,
                deltaSpectrum.singularValues(), deltaNorm, deltaNorm / before.frobeniusNorm(), overlap);
    }

    private SingularSpectrum spectrum(DenseMatrix m) {
        return new SingularSpectrum(linearAlgebra.singularValues(m), m.rows(), m.cols());
    }
}
