package dev.lasermesh.core.model;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.model.family.Architecture;
import dev.lasermesh.core.model.family.EvaluationSupport;
import dev.lasermesh.core.model.family.ModelFamilies;
import dev.lasermesh.core.model.family.ModelFamily;
import dev.lasermesh.core.tensor.TensorFormatException;
import dev.lasermesh.core.tensor.TensorSource;
import dev.lasermesh.core.tensor.TensorSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model opened for analysis: its config.json (when it has one), its memory-mapped tensors and the
 * catalogue of its matrices.
 *
 * <p>A folder whose config.json names a known family ({@link ModelFamilies}) has its matrices
 * addressed by (layer, module); a folder of an unknown family, or a file without config.json, is a
 * bag of tensors whose 2-D ones are matrices (the catalogue's note says why). A file that is its
 * folder's weights ({@code model.safetensors}, or the shard index) is opened as the folder, so
 * pointing at the file or at the folder gives the same model.
 */
public final class ModelSource implements AutoCloseable {

    /** The config file of a Hugging Face model folder. */
    public static final String CONFIG_FILE = "config.json";

    private final Path path;
    private final Optional<ConfigFile> config;
    private final TensorSource tensors;
    private final MatrixCatalogue catalogue;

    private ModelSource(Path path, Optional<ConfigFile> config, TensorSource tensors, MatrixCatalogue catalogue) {
        this.path = path;
        this.config = config;
        this.tensors = tensors;
        this.catalogue = catalogue;
    }

    /**
     * Opens a model folder or a safetensors file (or shard index).
     *
     * @throws TensorFormatException naming the path when it does not exist or the tensors are malformed
     * @throws ModelConfigException  when config.json is malformed, or lacks or contradicts a field its
     *                               family needs
     */
    public static ModelSource open(Path path) {
        Path folder = modelFolderOf(path);
        Optional<ConfigFile> config = folder == null ? Optional.empty()
                : Optional.of(ConfigFile.read(folder.resolve(CONFIG_FILE)));
        Optional<Architecture> architecture = config.flatMap(c -> ModelFamilies.of(c).map(f -> f.architecture(c)));
        TensorSource tensors = TensorSources.open(path);
        try {
            MatrixCatalogue catalogue = architecture.map(a -> MatrixCatalogue.of(a, tensors)).orElseGet(() -> config
                    .map(c -> MatrixCatalogue.forTensors(tensors, ModelFamilies.unknownFamilyNote(c)))
                    .orElseGet(() -> MatrixCatalogue.forTensors(tensors)));
            return new ModelSource(path, config, tensors, catalogue);
        } catch (RuntimeException e) {
            tensors.close();
            throw e;
        }
    }

    /**
     * The model folder whose config.json applies to {@code path} — the folder itself, or the folder of
     * its weights file — or null when none does.
     */
    public static Path modelFolderOf(Path path) {
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
    public Optional<ConfigFile> config() {
        return config;
    }

    /**
     * What Lasermesh can run for this model: its family's forward pass and default metric.
     *
     * @throws ModelConfigException naming the path when there is no config.json, or config.json and
     *                              its model_type when the family is unknown or has no forward pass
     *                              (listing the families that can be evaluated)
     */
    public EvaluationSupport evaluationSupport() {
        ConfigFile file = config.orElseThrow(() -> new ModelConfigException(path + ": no " + CONFIG_FILE
                + " (evaluation needs a Hugging Face model folder)"));
        return catalogue.family().flatMap(ModelFamily::evaluation)
                .orElseThrow(() -> ModelFamilies.notEvaluable(file));
    }

    /**
     * config.json as the decoder forward pass reads it, for a model it can run.
     *
     * @throws ModelConfigException as {@link #evaluationSupport()} does, or naming the field the decoder
     *                              finds missing or inconsistent
     */
    public ModelConfig decoderConfig() {
        evaluationSupport();
        if (!catalogue.family().map(ModelFamilies::scoredByPerplexity).orElse(false)) {
            throw ModelFamilies.notScoredByPerplexity(config.orElseThrow());
        }
        return ModelConfig.parse(config.orElseThrow());
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
        return finite(ref, 0, ref.rows(), tensors.readDoubles(ref.name()));
    }

    /**
     * Decodes rows {@code first .. first+count−1} of a matrix exactly to doubles, checking that every weight
     * is finite: a block of a matrix too large to hold whole beside the others the caller needs.
     *
     * @throws TensorFormatException naming the tensor and the position of the first NaN or infinity
     */
    public DenseMatrix readRows(MatrixRef ref, int first, int count) {
        return finite(ref, first, count, tensors.readRows(ref.name(), first, count));
    }

    private DenseMatrix finite(MatrixRef ref, int firstRow, int rows, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new TensorFormatException(tensors.description() + ": tensor \"" + ref.name() + "\" has "
                        + values[i] + " at [" + (firstRow + i / ref.cols()) + ", " + i % ref.cols() + "]");
            }
        }
        return new DenseMatrix(rows, ref.cols(), values);
    }

    @Override
    public void close() {
        tensors.close();
    }
}
