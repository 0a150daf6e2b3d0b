package dev.lasermesh.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.tensor.AtomicFiles;
import dev.lasermesh.core.tensor.DType;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import dev.lasermesh.core.tensor.TensorSources;
import dev.lasermesh.core.tensor.TensorValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny model folder of any architecture, written from a config.json and a list of tensor names and
 * shapes given by hand: to test a family's catalogue against names and shapes stated independently
 * of its rules, without a download. Tensors are F32, N(0, {@value SyntheticModel#WEIGHT_STD}²) from a
 * fixed seed; for Llama-shaped models at real sizes see {@link SyntheticModel}.
 */
public final class SyntheticCheckpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode config = JSON.createObjectNode();
    private final Map<String, long[]> tensors = new LinkedHashMap<>();

    /** Sets a config.json field (a number, string, boolean or list). */
    public SyntheticCheckpoint config(String field, Object value) {
        config.set(field, JSON.valueToTree(value));
        return this;
    }

    /** Removes a config.json field set before. */
    public SyntheticCheckpoint withoutConfig(String field) {
        config.remove(field);
        return this;
    }

    /** Adds (or reshapes) a tensor. */
    public SyntheticCheckpoint tensor(String name, long... shape) {
        tensors.put(name, shape.clone());
        return this;
    }

    /**
     * Writes {@code folder/config.json} and {@code folder/model.safetensors}.
     *
     * @return {@code folder}
     */
    public Path write(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot create the folder (" + e.getMessage() + ")", e);
        }
        SplittableRandom random = new SplittableRandom(7);
        SafetensorsWriter writer = new SafetensorsWriter(folder.resolve(TensorSources.SINGLE_FILE_NAME))
                .metadata(Map.of("format", "pt"));
        tensors.forEach((name, shape) -> {
            long count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            float[] values = new float[Math.toIntExact(count)];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * SyntheticModel.WEIGHT_STD);
            }
            writer.put(name, DType.F32, shape, TensorValues.of(values));
        });
        writer.write();
        try {
            AtomicFiles.write(folder.resolve(ModelSource.CONFIG_FILE),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot write config.json (" + e.getMessage() + ")", e);
        }
        return folder;
    }
}
