package dev.lasermesh.contracts;

import dev.lasermesh.core.tensor.DType;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A tensor in the artifact store. Tensors never travel through Kafka (DESIGN §2): messages carry this
 * reference, and the reader checks the checksum before trusting the bytes, so a file rewritten or
 * half-written since the message was sent is detected.
 *
 * @param path   the safetensors file, relative to the artifact store root ({@link ArtifactPath})
 * @param tensor the tensor's name inside that file
 * @param dtype  element type, as the safetensors header spells it ({@code F32}, {@code F16}, {@code BF16},
 *               {@code F64})
 * @param shape  dimensions, outermost first ([out_features, in_features] for a weight); each ≥ 1
 * @param sha256 SHA-256 of the tensor's data bytes as stored in the file (little-endian, the header
 *               excluded), 64 lowercase hex digits
 */
public record TensorRef(String path, String tensor, DType dtype, List<Long> shape, String sha256) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public TensorRef {
        ArtifactPath.check(path, "path");
        Require.text(tensor, "tensor");
        Require.present(dtype, "dtype");
        shape = Require.nonEmpty(shape, "shape");
        for (int i = 0; i < shape.size(); i++) {
            if (shape.get(i) < 1) {
                throw new ContractException("shape[" + i + "] must be >= 1, got " + shape.get(i), "shape[" + i + "]");
            }
        }
        Require.present(sha256, "sha256");
        if (!SHA256.matcher(sha256).matches()) {
            throw new ContractException("sha256 must be 64 lowercase hex digits, got " + Quoted.of(sha256), "sha256");
        }
    }

    /** Bytes of the tensor's data: elements × element size. */
    public long byteLength() {
        long elements = 1;
        for (long d : shape) {
            elements = Math.multiplyExact(elements, d);
        }
        return Math.multiplyExact(elements, (long) dtype.byteSize());
    }

    /** The file in the artifact store mounted at {@code artifactRoot}. */
    public Path file(Path artifactRoot) {
        return ArtifactPath.resolve(artifactRoot, path);
    }
}
