package dev.lasermesh.core.reduce;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collection;

/**
 * Sums of {@link StorageAccounting} over the replaced matrices.
 *
 * @param matrices           how many matrices were replaced
 * @param denseParameters    parameters of those matrices, before (and after, in the dense form)
 * @param factoredParameters parameters of their factored forms
 * @param denseBytes         bytes before (and after, dense)
 * @param factoredBytes      bytes of the factored forms
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StorageTotals(int matrices, long denseParameters, long factoredParameters, long denseBytes,
                            long factoredBytes) {

    static StorageTotals of(Collection<ReductionResult> results) {
        long dp = 0;
        long fp = 0;
        long db = 0;
        long fb = 0;
        for (ReductionResult r : results) {
            dp += r.storage().denseParameters();
            fp += r.storage().factoredParameters();
            db += r.storage().denseBytes();
            fb += r.storage().factoredBytes();
        }
        return new StorageTotals(results.size(), dp, fp, db, fb);
    }
}
