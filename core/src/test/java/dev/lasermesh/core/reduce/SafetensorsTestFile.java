package dev.lasermesh.core.reduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Just enough of the safetensors format (8-byte little-endian header length, JSON header, raw data)
 * to pull one fixture tensor's bytes into a reduce test without depending on the tensor package.
 */
final class SafetensorsTestFile {

    private SafetensorsTestFile() {
    }

    record Tensor(String dtype, int rows, int cols, ByteBuffer data) {
    }

    static Tensor read(Path file, String name) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int headerLength = (int) all.getLong(0);
            JsonNode entry = new ObjectMapper()
                    .readTree(new String(bytes, 8, headerLength, StandardCharsets.UTF_8)).get(name);
            int from = 8 + headerLength + entry.get("data_offsets").get(0).intValue();
            int to = 8 + headerLength + entry.get("data_offsets").get(1).intValue();
            ByteBuffer data = ByteBuffer.wrap(bytes, from, to - from).slice().order(ByteOrder.LITTLE_ENDIAN);
            return new Tensor(entry.get("dtype").textValue(), entry.get("shape").get(0).intValue(),
                    entry.get("shape").get(1).intValue(), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
