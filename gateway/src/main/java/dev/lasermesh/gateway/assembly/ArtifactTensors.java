package dev.lasermesh.gateway.assembly;

import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.core.InvalidInputException;
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
 * Reads tensors that workers wrote into the artifact store, trusting a tensor only once its file has
 * the dtype, shape and SHA-256 its reference promises (a file rewritten or cut short since the result
 * was sent is caught here, not in the output model).
 */
public final class ArtifactTensors {

    private static final long CHUNK = 1 << 20;

    private final Path root;

    /** @param root the artifact store's root */
    public ArtifactTensors(Path root) {
        this.root = root;
    }

    /**
     * The tensor's values, exactly widened to float64.
     *
     * @throws InvalidInputException naming the file and tensor when it is missing or differs from {@code ref}
     */
    public double[] read(TensorRef ref) {
        Path file = ref.file(root);
        try (SafetensorsFile source = SafetensorsFile.open(file)) {
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
            String sha256 = sha256(source.bytes(ref.tensor()));
            if (!sha256.equals(ref.sha256())) {
                throw new InvalidInputException(where + " has SHA-256 " + sha256 + ", the result said " + ref.sha256()
                        + " (the file changed since it was written)");
            }
            return source.readDoubles(ref.tensor());
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
        return HexFormat.of().formatHex(digest.digest());
    }
}
