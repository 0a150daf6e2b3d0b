package dev.lasermesh.core.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model split over several safetensors files, as listed by {@code model.safetensors.index.json}
 * (see {@link ShardIndex}). Every shard is mapped with {@link SafetensorsFile}; the tensors are the
 * ones the index's {@code weight_map} names, each read from the shard the index assigns to it.
 */
public final class ShardedSafetensors implements TensorSource {

    private final ShardIndex index;
    private final Map<String, SafetensorsFile> shards;
    private final Map<String, SafetensorsFile> shardOfTensor = new LinkedHashMap<>();
    private final List<TensorInfo> tensors;

    private ShardedSafetensors(ShardIndex index, Map<String, SafetensorsFile> shards) {
        this.index = index;
        this.shards = shards;
        for (Map.Entry<String, SafetensorsFile> shard : shards.entrySet()) {
            SafetensorsFile file = shard.getValue();
            for (String name : index.tensorsOf(shard.getKey())) {
                if (!file.contains(name)) {
                    throw new TensorFormatException(index.file() + ": maps tensor \"" + name + "\" to "
                            + shard.getKey() + ", which does not contain it");
                }
                shardOfTensor.put(name, file);
            }
        }
        List<TensorInfo> all = new ArrayList<>();
        for (SafetensorsFile file : shards.values()) {
            file.tensors().stream().filter(t -> shardOfTensor.get(t.name()) == file).forEach(all::add);
        }
        this.tensors = List.copyOf(all);
    }

    /**
     * Reads the index and maps every shard it names.
     *
     * @throws TensorFormatException naming the index and the missing or inconsistent shard
     */
    public static ShardedSafetensors open(Path indexFile) {
        ShardIndex index = ShardIndex.read(indexFile);
        Path folder = indexFile.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        try {
            for (String shardName : index.shardFileNames()) {
                Path shardPath = folder.resolve(shardName);
                if (!Files.isRegularFile(shardPath)) {
                    throw new TensorFormatException(indexFile + ": shard file " + shardPath + " is missing");
                }
                shards.put(shardName, SafetensorsFile.open(shardPath));
            }
            return new ShardedSafetensors(index, shards);
        } catch (RuntimeException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
    }

    /** The index this model was opened from. */
    public ShardIndex index() {
        return index;
    }

    /** The shards by file name, in index order. */
    public Map<String, SafetensorsFile> shards() {
        return Collections.unmodifiableMap(shards);
    }

    /** The shard holding a tensor. */
    public SafetensorsFile shardOf(String name) {
        SafetensorsFile shard = shardOfTensor.get(name);
        if (shard == null) {
            throw new TensorFormatException(index.file() + ": no tensor named \"" + name + "\" in this model");
        }
        return shard;
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public boolean contains(String name) {
        return shardOfTensor.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return shardOf(name).info(name);
    }

    @Override
    public MemorySegment bytes(String name) {
        return shardOf(name).bytes(name);
    }

    @Override
    public float[] readFloats(String name) {
        return shardOf(name).readFloats(name);
    }

    @Override
    public double[] readDoubles(String name) {
        return shardOf(name).readDoubles(name);
    }

    @Override
    public Map<String, String> metadata() {
        return shards.values().iterator().next().metadata();
    }

    @Override
    public String description() {
        return index.file().toString();
    }

    @Override
    public void close() {
        shards.values().forEach(SafetensorsFile::close);
    }
}
