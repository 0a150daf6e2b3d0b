package dev.lasermesh.core.model;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.tensor.TensorFormatException;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model opened for analysis: its config (when it has one), its memory-mapped tensors and the
 * catalogue of its matrices.
 *
 * <p>A folder with {@code config.json} is a Llama-family model whose matrices are addressed by
 * (layer, module); a folder or file without one is a bag of tensors whose 2-D ones are matrices. A
 * file that is its folder's weights ({@code model.safetensors}, or the shard index) is opened as the
 * folder, so pointing at the file or at the folder gives the same model.
 */
public final class ModelSource implements AutoCloseable {

    /** The config file of a Hugging Face model folder. */
    public static final String CONFIG_FILE = "config.json";

    private final Path path;
    private final Optional<ModelConfig> config;
    private final TensorSource tensors;
    private final MatrixCatalogue catalogue;

    private ModelSource(Path path, Optional<ModelConfig> config, TensorSource tensors, MatrixCatalogue catalogue) {
        this.path = path;
        this.config = config;
        this.tensors = tensors;
        this.catalogue = catalogue;
    }

    /**
     * Opens a model folder or a safetensors file (or shard index).
     *
     * @throws TensorFormatException naming the path when it does not exist or the tensors are malformed
     * @throws ModelConfigException  when config.json is malformed or its architecture is not supported
     */
    public static ModelSource open(Path path) {
        Path folder = modelFolderOf(path);
        Optional<ModelConfig> config = folder == null ? Optional.empty()
                : Optional.of(ModelConfig.read(folder.resolve(CONFIG_FILE)));
        TensorSource tensors = TensorSources.open(path);
        try {
            MatrixCatalogue catalogue = config.isPresent() ? MatrixCatalogue.forArchitecture(config.get(), tensors)
                    : MatrixCatalogue.forTensors(tensors);
            return new ModelSource(path, config, tensors, catalogue);
        } catch (RuntimeException e) {
            tensors.close();
            throw e;
        }
    }

    /** The model folder whose config.json applies to {@code path}, or null when none does. */
    private static Path modelFolderOf(Path path) {
        if (Files.isDirectory(path)) {
            return Files.isRegularFile(path.resolve(CONFIG_FILE)) ? path : null;
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null || !Files.isRegularFile(path) || !Files.isRegularFile(parent.resolve(CONFIG_FILE))) {
            return null;
        }
        try {
            return Files.isSameFile(TensorSources.weightsFileOf(parent), path) ? parent : null;
        } catch (TensorFormatException | IOException e) {
            return null;
        }
    }

    /** The path it was opened from. */
    public Path path() {
        return path;
    }

    /** config.json, when the model has one. */
    public Optional<ModelConfig> config() {
        return config;
    }

    /** The memory-mapped tensors. */
    public TensorSource tensors() {
        return tensors;
    }

    /** The matrices. */
    public MatrixCatalogue catalogue() {
        return catalogue;
    }

    /**
     * Decodes a matrix exactly to doubles, checking that every weight is finite.
     *
     * @throws TensorFormatException naming the tensor and the position of the first NaN or infinity
     */
    public DenseMatrix readMatrix(MatrixRef ref) {
        double[] values = tensors.readDoubles(ref.name());
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new TensorFormatException(tensors.description() + ": tensor \"" + ref.name() + "\" has "
                        + values[i] + " at [" + i / ref.cols() + ", " + i % ref.cols() + "]");
            }
        }
        return new DenseMatrix(ref.rows(), ref.cols(), values);
    }

    @Override
    public void close() {
        tensors.close();
    }
}
