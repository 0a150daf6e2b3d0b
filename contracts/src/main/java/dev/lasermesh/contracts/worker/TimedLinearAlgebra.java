package dev.lasermesh.contracts.worker;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.SingularValues;
import dev.lasermesh.core.linalg.Svd;
import java.util.function.DoubleConsumer;
import java.util.function.Supplier;

/**
 * A {@link LinearAlgebra} that reports the wall-clock seconds of every decomposition (singular values,
 * top-k SVD) it delegates, so a worker can publish decomposition time apart from loading and
 * writing (the {@code lasermesh_svd_seconds} metric of analyzers and reducers).
 */
public final class TimedLinearAlgebra implements LinearAlgebra {

    private final LinearAlgebra delegate;
    private final DoubleConsumer seconds;

    /**
     * @param delegate the backend doing the work
     * @param seconds  receives the duration of each decomposition
     */
    public TimedLinearAlgebra(LinearAlgebra delegate, DoubleConsumer seconds) {
        this.delegate = delegate;
        this.seconds = seconds;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public double[] singularValues(DenseMatrix a) {
        return timed(() -> delegate.singularValues(a));
    }

    @Override
    public SingularValues singularValuesWithMethod(DenseMatrix a) {
        return timed(() -> delegate.singularValuesWithMethod(a));
    }

    @Override
    public Svd topK(DenseMatrix a, int k) {
        return timed(() -> delegate.topK(a, k));
    }

    private <V> V timed(Supplier<V> decomposition) {
        long start = System.nanoTime();
        try {
            return decomposition.get();
        } finally {
            seconds.accept((System.nanoTime() - start) / 1e9);
        }
    }
}
