package dev.lasermesh.core.linalg;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lasermesh.core.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one F32 or BF16 tensor of a fixture safetensors file as a matrix, independently of the
 * project's tensor reader: 8-byte little-endian header length, JSON header with dtype, shape and
 * data_offsets (relative to the end of the header), little-endian data; BF16 is the upper half of a
 * float32.
 */
final class FixtureMatrices {

    private FixtureMatrices() {
    }

    static DenseMatrix read(String relativePath, String tensor) {
        Path file = Fixtures.path(relativePath);
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            int headerLength = Math.toIntExact(bytes.getLong(0));
            JsonNode entry = new ObjectMapper()
                    .readTree(new String(bytes.array(), 8, headerLength, StandardCharsets.UTF_8)).get(tensor);
            if (entry == null) {
                throw new IllegalArgumentException(file + " has no tensor " + tensor);
            }
            int rows = entry.get("shape").get(0).asInt();
            int cols = entry.get("shape").get(1).asInt();
            int start = 8 + headerLength + entry.get("data_offsets").get(0).asInt();
            String dtype = entry.get("dtype").asText();
            float[] values = new float[rows * cols];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (dtype) {
                    case "F32" -> bytes.getFloat(start + 4 * i);
                    case "BF16" -> Float.intBitsToFloat((bytes.getShort(start + 2 * i) & 0xFFFF) << 16);
                    default -> throw new IllegalArgumentException(file + ": tensor " + tensor + " has dtype " + dtype);
                };
            }
            return DenseMatrix.fromFloats(rows, cols, values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A reference JSON file; unlike {@code Fixtures.json} it accepts the {@code Infinity} that
     * spectra/reference.json writes for an SNR with no noise part.
     */
    static JsonNode json(String relativePath) {
        try {
            return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build()
                    .readTree(Fixtures.path(relativePath).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The float64 reference values of a JSON array. */
    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
