package dev.lasermesh.core.tensor;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a model's tensor files into an output folder with the same file layout as the source: a
 * single file under its own name, or a sharded model as one output file per input shard (same
 * tensor → file map, same per-shard metadata) plus its {@code model.safetensors.index.json}
 * (metadata kept, {@code total_size} recomputed). Tensors named in the replacements get new
 * content; every other tensor is copied byte for byte. Each file is written atomically.
 */
public final class ModelWriter {

    private ModelWriter() {
    }

    /**
     * Writes {@code source}'s tensor files into {@code outDir}, replacing the named tensors.
     *
     * @throws TensorFormatException naming the tensor when a replacement names a tensor the source lacks
     */
    public static void write(TensorSource source, Path outDir, Map<String, TensorReplacement> replacements) {
        Map<String, List<NamedTensor>> rewrites = new LinkedHashMap<>();
        replacements.forEach((name, content) -> rewrites.put(name, List.of(new NamedTensor(name, content))));
        rewrite(source, outDir, rewrites);
    }

    /**
     * Writes {@code source}'s tensor files into {@code outDir}, replacing each named tensor by the
     * list of tensors given for it (in its place, in the same file): one tensor of the same name for a
     * dense reduction, or the two factors of a factored one. A sharded model's index maps the new
     * names to the shard of the tensor they replace.
     *
     * @throws TensorFormatException naming the tensor when a rewrite names a tensor the source lacks
     */
    public static void rewrite(TensorSource source, Path outDir, Map<String, List<NamedTensor>> rewrites) {
        for (String name : rewrites.keySet()) {
            if (!source.contains(name)) {
                throw new TensorFormatException(source.description() + ": cannot replace tensor \"" + name
                        + "\": no such tensor in the model");
            }
        }
        if (source instanceof ShardedSafetensors sharded) {
            long totalSize = 0;
            Map<String, String> weightMap = new LinkedHashMap<>();
            for (Map.Entry<String, SafetensorsFile> shard : sharded.shards().entrySet()) {
                List<String> names = sharded.index().tensorsOf(shard.getKey());
                Set<String> inShard = new HashSet<>(names);
                List<String> ordered = shard.getValue().tensors().stream().map(TensorInfo::name)
                        .filter(inShard::contains).toList();
                totalSize += writeFile(shard.getValue(), ordered, outDir.resolve(shard.getKey()), rewrites);
                for (String name : ordered) {
                    for (String written : writtenNames(name, rewrites)) {
                        weightMap.put(written, shard.getKey());
                    }
                }
            }
            new ShardIndex(sharded.index().file(), weightMap, sharded.index().metadata())
                    .write(outDir.resolve(ShardIndex.FILE_NAME), totalSize);
        } else {
            String fileName = source instanceof SafetensorsFile f ? f.path().getFileName().toString()
                    : TensorSources.SINGLE_FILE_NAME;
            writeFile(source, source.tensors().stream().map(TensorInfo::name).toList(), outDir.resolve(fileName),
                    rewrites);
        }
    }

    private static List<String> writtenNames(String name, Map<String, List<NamedTensor>> rewrites) {
        List<NamedTensor> replacement = rewrites.get(name);
        return replacement == null ? List.of(name) : replacement.stream().map(NamedTensor::name).toList();
    }

    private static long writeFile(TensorSource source, List<String> names, Path target,
                                  Map<String, List<NamedTensor>> rewrites) {
        SafetensorsWriter writer = new SafetensorsWriter(target).metadata(source.metadata());
        for (String name : names) {
            List<NamedTensor> replacement = rewrites.get(name);
            if (replacement == null) {
                writer.copy(source, name);
            } else {
                for (NamedTensor t : replacement) {
                    writer.put(t.name(), t.content().dtype(), t.content().shape(), t.content().values());
                }
            }
        }
        return writer.write();
    }
}
