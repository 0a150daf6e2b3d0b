package dev.lasermesh.evaluator;

import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.worker.TensorDigests;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.TensorInfo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of overlays read from the artifact store, as the forward pass takes them (float32,
 * row-major, the base tensor's shape), after checking each referenced tensor's dtype, shape and
 * SHA-256 against the reference: a file changed since the reducer wrote it fails the task instead of
 * silently scoring other weights.
 *
 * <p>A dense overlay is used as stored (widened exactly to float32). A factored overlay [left, right]
 * is multiplied out in float64 and rounded to float32.
 *
 * <p>Recently used overlays are kept, least recently used evicted past a byte bound: the same overlay
 * then yields the same array, which is how the hidden-state cache recognises an unchanged layer
 * ({@link dev.lasermesh.core.eval.forward.ModelState#firstChangedStage}); accepted matrices appear in
 * every later request of a search and stay.
 */
final class OverlayCache {

    private final Path artifactRoot;
    private final long maxBytes;
    private final LinkedHashMap<Overlay, float[]> values = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /**
     * @param artifactRoot the artifact store's root folder
     * @param maxBytes     bytes of overlay values kept (the most recent overlay is always kept)
     */
    OverlayCache(Path artifactRoot, long maxBytes) {
        this.artifactRoot = artifactRoot;
        this.maxBytes = maxBytes;
    }

    /**
     * The values of {@code overlay}, checked.
     *
     * @throws InvalidInputException naming the file and tensor when it is missing, has another dtype
     *                               or shape than referenced, or its checksum differs
     */
    synchronized float[] values(Overlay overlay) {
        float[] kept = values.get(overlay);
        if (kept != null) {
            return kept;
        }
        float[] loaded = overlay.tensors().size() == 1 ? read(overlay.tensors().getFirst()) : product(overlay);
        values.put(overlay, loaded);
        bytes += 4L * loaded.length;
        var eldestFirst = values.entrySet().iterator();
        while (bytes > maxBytes && values.size() > 1) {
            Map.Entry<Overlay, float[]> eldest = eldestFirst.next();
            bytes -= 4L * eldest.getValue().length;
            eldestFirst.remove();
        }
        return loaded;
    }

    private float[] product(Overlay overlay) {
        TensorRef left = overlay.tensors().get(0);
        TensorRef right = overlay.tensors().get(1);
        int rows = Math.toIntExact(left.shape().get(0));
        int rank = Math.toIntExact(left.shape().get(1));
        int cols = Math.toIntExact(right.shape().get(1));
        return new LowRankFactors(DenseMatrix.fromFloats(rows, rank, read(left)),
                DenseMatrix.fromFloats(rank, cols, read(right))).productAsFloats();
    }

    private float[] read(TensorRef ref) {
        Path file = ref.file(artifactRoot);
        try (SafetensorsFile source = SafetensorsFile.open(file)) {
            TensorInfo info = source.info(ref.tensor());
            long[] shape = ref.shape().stream().mapToLong(Long::longValue).toArray();
            if (info.dtype() != ref.dtype() || !Arrays.equals(info.shape(), shape)) {
                throw new InvalidInputException(file + ": tensor " + info + " is not the referenced " + ref.dtype()
                        + ref.shape());
            }
            String sha256 = TensorDigests.sha256(source.bytes(ref.tensor()));
            if (!sha256.equals(ref.sha256())) {
                throw new InvalidInputException(file + ": tensor " + ref.tensor() + " has sha256 " + sha256
                        + ", the task references " + ref.sha256() + " (the file changed after it was written)");
            }
            return source.readFloats(ref.tensor());
        }
    }
}
