package dev.lasermesh.core.tensor;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the tensors of a model given as a Hugging Face folder, an index file or one safetensors file. */
public final class TensorSources {

    /** The conventional name of an unsharded model's weights file. */
    public static final String SINGLE_FILE_NAME = "model.safetensors";

    private TensorSources() {
    }

    /**
     * Opens a model's tensors: for a folder, {@code model.safetensors.index.json} when present (a
     * sharded model), else {@code model.safetensors}; for a file, the index it is (name ending in
     * {@code .index.json}) or the single safetensors file it is.
     *
     * @throws TensorFormatException naming the path when it does not exist, a folder holds neither
     *                               file, or a file is malformed
     */
    public static TensorSource open(Path path) {
        if (Files.isDirectory(path)) {
            return open(weightsFileOf(path));
        }
        if (!Files.exists(path)) {
            throw new TensorFormatException(path + ": no such file or folder");
        }
        if (path.getFileName().toString().endsWith(".index.json")) {
            return ShardedSafetensors.open(path);
        }
        return SafetensorsFile.open(path);
    }

    /**
     * The file that holds (or indexes) a model folder's weights: the index when present, else
     * {@code model.safetensors}.
     *
     * @throws TensorFormatException naming the folder when it has neither
     */
    public static Path weightsFileOf(Path folder) {
        Path index = folder.resolve(ShardIndex.FILE_NAME);
        if (Files.isRegularFile(index)) {
            return index;
        }
        Path single = folder.resolve(SINGLE_FILE_NAME);
        if (Files.isRegularFile(single)) {
            return single;
        }
        throw new TensorFormatException(folder + ": folder has neither " + ShardIndex.FILE_NAME + " nor "
                + SINGLE_FILE_NAME);
    }
}
