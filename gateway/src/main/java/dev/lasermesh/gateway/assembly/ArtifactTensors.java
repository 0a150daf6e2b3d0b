package dev.lasermesh.gateway.assembly;

import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.tensor.MappedPages;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads matrices that workers wrote into the artifact store, trusting a matrix only once its file has
 * the dtype, shape and SHA-256 its reference promises (a file rewritten or cut short since the result
 * was sent is caught here, not in the output model). A matrix is read whole or in blocks of rows, so
 * that one larger than the heap can be streamed into the output.
 */
public final class ArtifactTensors {

    private static final long CHUNK = 1 << 20;

    private final Path root;

    /** @param root the artifact store's root */
    public ArtifactTensors(Path root) {
        this.root = root;
    }

    /**
     * Opens the stored matrix of {@code ref} once it is checked; close it when done.
     *
     * @throws InvalidInputException naming the file and tensor when it is missing, is not a matrix or
     *                               differs from {@code ref}
     */
    public StoredMatrix open(TensorRef ref) {
        Path file = ref.file(root);
        SafetensorsFile source = SafetensorsFile.open(file);
        try {
            String where = file + ": tensor \"" + ref.tensor() + "\"";
            if (!source.contains(ref.tensor())) {
                throw new InvalidInputException(where + " is missing");
            }
            TensorInfo info = source.info(ref.tensor());
            List<Long> shape = Arrays.stream(info.shape()).boxed().toList();
            if (info.dtype() != ref.dtype() || !shape.equals(ref.shape())) {
                throw new InvalidInputException(where + " is " + info.dtype() + " " + shape + ", the result said "
                        + ref.dtype() + " " + ref.shape());
            }
            if (info.rank() != 2) {
                throw new InvalidInputException(where + " has shape " + shape + ", not a matrix");
            }
            String sha256 = sha256(source.bytes(ref.tensor()));
            if (!sha256.equals(ref.sha256())) {
                throw new InvalidInputException(where + " has SHA-256 " + sha256 + ", the result said " + ref.sha256()
                        + " (the file changed since it was written)");
            }
            return new StoredMatrix(source, info);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** A checked matrix of the artifact store, exactly widened to float64 as it is read. */
    public static final class StoredMatrix implements AutoCloseable {

        private final SafetensorsFile file;
        private final TensorInfo info;

        private StoredMatrix(SafetensorsFile file, TensorInfo info) {
            this.file = file;
            this.info = info;
        }

        public int rows() {
            return info.rows();
        }

        public int cols() {
            return info.cols();
        }

        /** Rows {@code first .. first+count−1}. */
        public DenseMatrix readRows(int first, int count) {
            return new DenseMatrix(count, cols(), file.readRows(info.name(), first, count));
        }

        /** The whole matrix. */
        public DenseMatrix readAll() {
            return readRows(0, rows());
        }

        @Override
        public void close() {
            file.close();
        }
    }

    private static String sha256(MemorySegment bytes) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        for (long at = 0; at < bytes.byteSize(); at += CHUNK) {
            digest.update(bytes.asSlice(at, Math.min(CHUNK, bytes.byteSize() - at)).asByteBuffer());
        }
        MappedPages.release(bytes);
        return HexFormat.of().formatHex(digest.digest());
    }
}
