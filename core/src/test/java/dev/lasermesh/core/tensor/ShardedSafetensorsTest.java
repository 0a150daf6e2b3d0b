package dev.lasermesh.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sharded copy of tiny-llama: reading through the index, writing shard for shard, and broken indexes. */
class ShardedSafetensorsTest {

    private static final Path TINY = Fixtures.path("tiny-llama/model.safetensors");

    @TempDir
    Path dir;

    private Path model;

    /** Three shards: layers 0-2, layers 3-5, then everything else; the index lists them in HF's naming. */
    @BeforeEach
    void shardTinyLlama() {
        model = dir.resolve("sharded");
        Map<String, String> weightMap = new LinkedHashMap<>();
        long dataBytes = 0;
        try (SafetensorsFile source = SafetensorsFile.open(TINY)) {
            for (TensorInfo t : source.tensors()) {
                weightMap.put(t.name(), "model-0000" + shardNumber(t.name()) + "-of-00003.safetensors");
                dataBytes += t.byteLength();
            }
            for (int shard = 1; shard <= 3; shard++) {
                String fileName = "model-0000" + shard + "-of-00003.safetensors";
                SafetensorsWriter writer = new SafetensorsWriter(model.resolve(fileName)).metadata(source.metadata());
                weightMap.forEach((name, file) -> {
                    if (file.equals(fileName)) {
                        writer.copy(source, name);
                    }
                });
                writer.write();
            }
        }
        ShardIndex.create(model.resolve(ShardIndex.FILE_NAME), weightMap)
                .write(model.resolve(ShardIndex.FILE_NAME), dataBytes);
    }

    private static int shardNumber(String name) {
        if (!name.startsWith("model.layers.")) {
            return 3;
        }
        int layer = Integer.parseInt(name.split("\\.")[2]);
        return layer < 3 ? 1 : 2;
    }

    @Test
    void readsEveryTensorThroughTheIndex() {
        try (TensorSource sharded = TensorSources.open(model); SafetensorsFile single = SafetensorsFile.open(TINY)) {
            assertInstanceOf(ShardedSafetensors.class, sharded);
            assertEquals(57, sharded.tensors().size());
            assertEquals(Map.of("format", "pt"), sharded.metadata());
            assertEquals(3, ((ShardedSafetensors) sharded).shards().size());
            for (TensorInfo t : single.tensors()) {
                assertArrayEquals(single.readFloats(t.name()), sharded.readFloats(t.name()), t.name());
                assertArrayEquals(t.shape(), sharded.info(t.name()).shape());
            }
            assertTrue(sharded.description().endsWith(ShardIndex.FILE_NAME));
            assertThrows(TensorFormatException.class, () -> sharded.info("model.layers.6.mlp.up_proj.weight"));
        }
    }

    @Test
    void openingTheIndexFileDirectlyIsTheSame() {
        try (TensorSource sharded = TensorSources.open(model.resolve(ShardIndex.FILE_NAME))) {
            assertEquals(57, sharded.tensors().size());
        }
    }

    @Test
    void missingShardFileIsNamedWithTheIndex() throws IOException {
        Files.delete(model.resolve("model-00002-of-00003.safetensors"));
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> TensorSources.open(model));
        assertTrue(e.getMessage().startsWith(model.resolve(ShardIndex.FILE_NAME).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("model-00002-of-00003.safetensors") && e.getMessage().contains("missing"),
                e.getMessage());
    }

    @Test
    void tensorMappedToAShardWithoutItIsAnError() throws IOException {
        Path index = model.resolve(ShardIndex.FILE_NAME);
        rewriteIndex(index, "model.norm.weight", "model-00001-of-00003.safetensors");
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> TensorSources.open(model));
        assertTrue(e.getMessage().contains("\"model.norm.weight\"")
                && e.getMessage().contains("model-00001-of-00003.safetensors")
                && e.getMessage().contains("does not contain it"), e.getMessage());
    }

    @Test
    void shardNamesMayNotLeaveTheFolder() throws IOException {
        Path index = model.resolve(ShardIndex.FILE_NAME);
        rewriteIndex(index, "model.norm.weight", "../elsewhere.safetensors");
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> TensorSources.open(model));
        assertTrue(e.getMessage().contains("must name a file in the index's folder"), e.getMessage());
    }

    @Test
    void malformedIndexesAreNamed() throws IOException {
        Path index = model.resolve(ShardIndex.FILE_NAME);
        Files.writeString(index, "{\"metadata\":{}}");
        TensorFormatException noMap = assertThrows(TensorFormatException.class, () -> TensorSources.open(model));
        assertTrue(noMap.getMessage().contains("\"weight_map\""), noMap.getMessage());
        Files.writeString(index, "{\"weight_map\":");
        TensorFormatException broken = assertThrows(TensorFormatException.class, () -> TensorSources.open(model));
        assertEquals(index + ": not valid JSON (unexpected end at line 1, column 15)", broken.getMessage());
        Files.writeString(index, "s3cret-token");
        TensorFormatException foreign = assertThrows(TensorFormatException.class, () -> TensorSources.open(model));
        assertFalse(foreign.getMessage().contains("s3cret"), foreign.getMessage());
    }

    @Test
    void modelWriterKeepsTheShardLayoutAndReplacesOneTensor() throws IOException {
        Path out = dir.resolve("out");
        String replaced = "model.layers.4.self_attn.o_proj.weight";
        float[] newValues = new float[256 * 256];
        for (int i = 0; i < newValues.length; i++) {
            newValues[i] = (i % 7) * 0.1f;
        }
        try (ShardedSafetensors source = ShardedSafetensors.open(model.resolve(ShardIndex.FILE_NAME))) {
            ModelWriter.write(source, out, Map.of(replaced,
                    TensorReplacement.like(source.info(replaced), TensorValues.of(newValues))));
            try (ShardedSafetensors written = ShardedSafetensors.open(out.resolve(ShardIndex.FILE_NAME))) {
                assertEquals(source.index().weightMap(), written.index().weightMap());
                long dataBytes = 0;
                for (TensorInfo t : source.tensors()) {
                    dataBytes += t.byteLength();
                    if (!t.name().equals(replaced)) {
                        assertEquals(-1L, source.bytes(t.name()).mismatch(written.bytes(t.name())), t.name());
                    }
                }
                assertArrayEquals(newValues, written.readFloats(replaced));
                JsonNode index = new ObjectMapper().readTree(out.resolve(ShardIndex.FILE_NAME).toFile());
                assertEquals(dataBytes, index.path("metadata").path("total_size").asLong());
                try (Stream<Path> files = Files.list(out)) {
                    assertEquals(List.of("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                            "model-00003-of-00003.safetensors", ShardIndex.FILE_NAME),
                            files.map(p -> p.getFileName().toString()).sorted().toList());
                }
            }
        }
    }

    @Test
    void modelWriterOnASingleFileKeepsItsName() {
        Path out = dir.resolve("single-out");
        try (SafetensorsFile source = SafetensorsFile.open(TINY)) {
            ModelWriter.write(source, out, Map.of());
            try (SafetensorsFile written = SafetensorsFile.open(out.resolve("model.safetensors"))) {
                assertEquals(source.tensors().size(), written.tensors().size());
                assertEquals(source.metadata(), written.metadata());
            }
            TensorFormatException e = assertThrows(TensorFormatException.class, () -> ModelWriter.write(source, out,
                    Map.of("no.such.weight", new TensorReplacement(DType.F32, new long[] {1}, TensorValues.of(new float[1])))));
            assertTrue(e.getMessage().contains("\"no.such.weight\""), e.getMessage());
        }
    }

    private static void rewriteIndex(Path index, String tensor, String shard) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(index.toFile());
        ((ObjectNode) root.get("weight_map")).put(tensor, shard);
        json.writeValue(index.toFile(), root);
    }
}
