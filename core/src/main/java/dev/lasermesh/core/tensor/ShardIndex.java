package dev.lasermesh.core.tensor;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.JsonSyntax;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code model.safetensors.index.json} of a sharded Hugging Face model: which shard file holds each
 * tensor ({@code weight_map}) and free-form {@code metadata} (usually {@code total_size}).
 *
 * @param file      the index file (for messages)
 * @param weightMap tensor name → shard file name (relative to the index's folder), in file order
 * @param metadata  the {@code metadata} object, kept as JSON so it can be written back
 */
public record ShardIndex(Path file, Map<String, String> weightMap, ObjectNode metadata) {

    /** The conventional name of the index file. */
    public static final String FILE_NAME = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ShardIndex {
        weightMap = Collections.unmodifiableMap(new LinkedHashMap<>(weightMap));
        metadata = metadata.deepCopy();
    }

    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }

    /** A new index (no metadata besides the {@code total_size} written by {@link #write}). */
    public static ShardIndex create(Path file, Map<String, String> weightMap) {
        return new ShardIndex(file, weightMap, JSON.createObjectNode());
    }

    /**
     * Reads and validates an index: a JSON object with a {@code weight_map} object of strings that
     * name plain files in the index's own folder.
     *
     * @throws TensorFormatException naming the index and the problem
     */
    public static ShardIndex read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new TensorFormatException(file + ": index file not found");
        } catch (JacksonException e) {
            throw new TensorFormatException(file + ": not valid JSON (" + JsonSyntax.problem(e) + ")", e);
        } catch (IOException e) {
            throw new TensorFormatException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new TensorFormatException(file + ": not a JSON object");
        }
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new TensorFormatException(file + ": field \"weight_map\" is missing or not an object");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            JsonNode shard = e.getValue();
            if (!shard.isTextual() || !isPlainFileName(shard.asText())) {
                throw new TensorFormatException(file + ": weight_map entry \"" + e.getKey()
                        + "\" must name a file in the index's folder, not " + shard);
            }
            weightMap.put(e.getKey(), shard.asText());
        }
        if (weightMap.isEmpty()) {
            throw new TensorFormatException(file + ": \"weight_map\" is empty");
        }
        JsonNode metadata = root.get("metadata");
        return new ShardIndex(file, weightMap,
                metadata != null && metadata.isObject() ? (ObjectNode) metadata : JSON.createObjectNode());
    }

    private static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.contains("\\") && !name.equals(".")
                && !name.equals("..");
    }

    /** The distinct shard file names, in order of first appearance. */
    public List<String> shardFileNames() {
        return new ArrayList<>(new LinkedHashSet<>(weightMap.values()));
    }

    /** The tensors the index assigns to one shard file, in index order. */
    public List<String> tensorsOf(String shardFileName) {
        return weightMap.entrySet().stream().filter(e -> e.getValue().equals(shardFileName))
                .map(Map.Entry::getKey).toList();
    }

    /** Writes this index (metadata with {@code total_size} set to the given value, and the weight map). */
    public void write(Path target, long totalSize) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode meta = root.putObject("metadata");
        meta.setAll(metadata);
        meta.put("total_size", totalSize);
        ObjectNode map = root.putObject("weight_map");
        weightMap.forEach(map::put);
        try {
            AtomicFiles.write(target, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot be written (" + e.getMessage() + ")", e);
        }
    }
}
