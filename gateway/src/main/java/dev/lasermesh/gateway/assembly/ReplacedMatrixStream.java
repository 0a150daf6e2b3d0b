package dev.lasermesh.gateway.assembly;

import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.reduce.FrobeniusAccumulator;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.reduce.ReductionResult;
import dev.lasermesh.core.reduce.StorageAccounting;
import dev.lasermesh.core.reduce.StorageForm;
import dev.lasermesh.core.spectrum.SpectralStatistics;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import dev.lasermesh.core.tensor.NamedTensor;
import dev.lasermesh.core.tensor.TensorReplacement;
import dev.lasermesh.core.tensor.TensorValues;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tensors that replace one matrix in a job's output, streamed from the artifact store in blocks of
 * rows while the writer reaches them, with the standalone's accounting ({@link ReductionResult}) measured
 * on the way: each block of the stored matrix (dense) or of the product A·B (factored, A read by rows, B
 * whole) is compared with the same rows of the input matrix ({@link FrobeniusAccumulator}). Neither the
 * input matrix nor the low-rank product is ever whole on the heap: a block holds about
 * {@code blockValues} float64 values, and a factored matrix adds B (k × in). The bytes and the numbers
 * are those of the whole-matrix computation bit for bit: the writer encodes value by value, the product
 * of a block of A's rows is those rows of A·B ({@link dev.lasermesh.core.reduce.MatrixProduct}), and the
 * squares are added row by row in order.
 */
final class ReplacedMatrixStream {

    private final ArtifactTensors artifacts;
    private final ModelSource source;
    private final MatrixRef m;
    private final SpectrumSummary summary;
    private final ReductionOutput reduction;
    private final int blockRows;

    /**
     * @param blockValues about how many float64 values one block of rows of the matrix holds (at least one
     *                    row)
     */
    ReplacedMatrixStream(ArtifactTensors artifacts, ModelSource source, MatrixRef m, SpectrumSummary summary,
                         ReductionOutput reduction, int blockValues) {
        this.artifacts = artifacts;
        this.source = source;
        this.m = m;
        this.summary = summary;
        this.reduction = reduction;
        this.blockRows = Math.max(1, blockValues / Math.max(1, m.cols()));
    }

    /** The matrix itself, as the reducer stored it; {@code done} receives its accounting once written. */
    List<NamedTensor> dense(Consumer<ReductionResult> done) {
        TensorRef stored = reduction.overlay().tensors().getFirst();
        TensorValues values = sink -> AssemblyFailure.during("writing " + m.name(), () -> {
            try (ArtifactTensors.StoredMatrix wk = artifacts.open(stored)) {
                requireShape(stored, wk, m.rows(), m.cols());
                FrobeniusAccumulator errors = new FrobeniusAccumulator();
                for (int first = 0; first < m.rows(); first += blockRows) {
                    int count = Math.min(blockRows, m.rows() - first);
                    DenseMatrix written = wk.readRows(first, count);
                    sink.doubles(written.data(), 0, written.data().length);
                    errors.add(source.readRows(m, first, count), written);
                }
                done.accept(accounting(StorageForm.DENSE, errors));
            }
        });
        return List.of(new NamedTensor(m.name(), new TensorReplacement(m.dtype(), new long[] {m.rows(), m.cols()},
                values)));
    }

    /**
     * The factors B (k × in) and A (out × k) under the standalone's names; {@code done} receives the
     * accounting once A, the second, is written.
     */
    List<NamedTensor> factored(Consumer<ReductionResult> done) {
        int k = reduction.rank();
        TensorRef refA = reduction.overlay().tensors().get(0);
        TensorRef refB = reduction.overlay().tensors().get(1);
        List<String> names = RankMap.factorNames(m.name());
        TensorValues b = sink -> AssemblyFailure.during("writing " + names.get(0), () -> {
            try (ArtifactTensors.StoredMatrix storedB = artifacts.open(refB)) {
                requireShape(refB, storedB, k, m.cols());
                for (int first = 0; first < k; first += blockRows) {
                    DenseMatrix block = storedB.readRows(first, Math.min(blockRows, k - first));
                    sink.doubles(block.data(), 0, block.data().length);
                }
            }
        });
        TensorValues a = sink -> AssemblyFailure.during("writing " + names.get(1), () -> {
            try (ArtifactTensors.StoredMatrix storedA = artifacts.open(refA);
                 ArtifactTensors.StoredMatrix storedB = artifacts.open(refB)) {
                requireShape(refA, storedA, m.rows(), k);
                requireShape(refB, storedB, k, m.cols());
                DenseMatrix wholeB = storedB.readAll();
                FrobeniusAccumulator errors = new FrobeniusAccumulator();
                for (int first = 0; first < m.rows(); first += blockRows) {
                    int count = Math.min(blockRows, m.rows() - first);
                    DenseMatrix rowsOfA = storedA.readRows(first, count);
                    sink.doubles(rowsOfA.data(), 0, rowsOfA.data().length);
                    errors.add(source.readRows(m, first, count), new LowRankFactors(rowsOfA, wholeB).product());
                }
                done.accept(accounting(StorageForm.FACTORED, errors));
            }
        });
        return ReducedModelWriter.factorTensors(m, k, b, a);
    }

    private void requireShape(TensorRef ref, ArtifactTensors.StoredMatrix stored, int rows, int cols) {
        if (stored.rows() != rows || stored.cols() != cols) {
            throw new InvalidInputException("matrix " + m.name() + ": stored tensor \"" + ref.tensor() + "\" is "
                    + stored.rows() + " × " + stored.cols() + ", not " + rows + " × " + cols);
        }
    }

    /** The standalone's accounting of the truncation, from the norms measured while streaming. */
    private ReductionResult accounting(StorageForm form, FrobeniusAccumulator errors) {
        double[] s = summary.singularValues();
        int k = reduction.rank();
        double norm = errors.norm();
        double error = reduction.frobeniusError();
        return new ReductionResult(m.rows(), m.cols(), k, m.minDim(), m.dtype(), form, norm, error,
                errors.distance(), SpectralStatistics.frobeniusErrorAtRank(s, k), norm == 0 ? 0 : error / norm,
                SpectralStatistics.energyKept(s, k), StorageAccounting.of(m.rows(), m.cols(), k, m.dtype()));
    }
}
