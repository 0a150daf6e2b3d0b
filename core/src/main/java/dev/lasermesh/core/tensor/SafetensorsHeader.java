package dev.lasermesh.core.tensor;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.core.JsonSyntax;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a safetensors file, parsed and validated, or encoded for writing.
 *
 * <p>Format (https://github.com/huggingface/safetensors#format): an 8-byte little-endian unsigned
 * length N, then N bytes of UTF-8 JSON mapping tensor names to {@code {dtype, shape,
 * data_offsets:[begin, end]}} (offsets relative to the data section that follows), plus an optional
 * {@code "__metadata__"} string→string map. Every check that the reference implementation makes on
 * reading is made here, with a message naming the file, the tensor and the problem; gaps between
 * tensors are tolerated.
 *
 * @param tensors   entries in header order
 * @param metadata  the {@code __metadata__} map (empty when absent), in header order
 * @param dataStart file position of the data section (8 + N)
 */
public record SafetensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata, long dataStart) {

    /** The reference implementation's limit on N (safetensors {@code MAX_HEADER_SIZE}). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    public SafetensorsHeader {
        tensors = List.copyOf(tensors);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Parses and validates the header of a whole mapped file.
     *
     * @param file what to call the file in messages
     * @param whole the whole file's bytes
     * @throws TensorFormatException naming the file (and tensor) and the problem
     */
    public static SafetensorsHeader parse(String file, MemorySegment whole) {
        long size = whole.byteSize();
        if (size < 8) {
            throw new TensorFormatException(file + ": truncated safetensors file: " + size
                    + " bytes, shorter than the 8-byte header length");
        }
        long n = whole.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 0 || n > size - 8) {
            throw new TensorFormatException(file + ": header length " + Long.toUnsignedString(n)
                    + " reaches beyond the end of the file (" + size + " bytes): truncated or not a safetensors file");
        }
        if (n > MAX_HEADER_BYTES) {
            throw new TensorFormatException(file + ": header length " + n + " exceeds the "
                    + MAX_HEADER_BYTES + "-byte limit of the safetensors format");
        }
        byte[] json = whole.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new TensorFormatException(file + ": header is not valid JSON (" + JsonSyntax.problem(e) + ")", e);
        } catch (IOException e) {
            throw new TensorFormatException(file + ": header cannot be read (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new TensorFormatException(file + ": header is not a JSON object");
        }
        long dataStart = 8 + n;
        return validate(file, root, size - dataStart, dataStart);
    }

    private static SafetensorsHeader validate(String file, JsonNode root, long dataSize, long dataStart) {
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals(METADATA_KEY)) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                tensors.add(entry(file, e.getKey(), e.getValue(), dataSize));
            }
        }
        checkNoOverlap(file, tensors);
        return new SafetensorsHeader(tensors, metadata, dataStart);
    }

    private static void readMetadata(String file, JsonNode node, Map<String, String> into) {
        if (!node.isObject()) {
            throw new TensorFormatException(file + ": \"__metadata__\" is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> m : node.properties()) {
            if (!m.getValue().isTextual()) {
                throw new TensorFormatException(file + ": \"__metadata__\" value of \"" + m.getKey()
                        + "\" is not a string");
            }
            into.put(m.getKey(), m.getValue().asText());
        }
    }

    private static TensorInfo entry(String file, String name, JsonNode node, long dataSize) {
        String where = file + ": tensor \"" + name + "\"";
        if (!node.isObject()) {
            throw new TensorFormatException(where + ": header entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new TensorFormatException(where + ": field \"dtype\" is missing or not a string");
        }
        DType dtype;
        try {
            dtype = DType.fromHeader(dtypeNode.asText());
        } catch (IllegalArgumentException e) {
            throw new TensorFormatException(where + ": " + e.getMessage(), e);
        }
        long[] shape = nonNegativeLongs(where, node, "shape", -1);
        long[] offsets = nonNegativeLongs(where, node, "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new TensorFormatException(where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        long expectedBytes;
        try {
            long elements = 1;
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            expectedBytes = Math.multiplyExact(elements, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new TensorFormatException(where + ": shape " + Arrays.toString(shape) + " is too large");
        }
        if (end - begin != expectedBytes) {
            throw new TensorFormatException(where + ": " + (end - begin) + " data bytes, but shape "
                    + Arrays.toString(shape) + " of " + dtype + " needs " + expectedBytes);
        }
        if (end > dataSize) {
            throw new TensorFormatException(where + ": data_offsets [" + begin + ", " + end
                    + "] lie outside the data section of " + dataSize + " bytes (file truncated?)");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] nonNegativeLongs(String where, JsonNode node, String field, int requiredLength) {
        JsonNode array = node.get(field);
        String expected = requiredLength < 0 ? "an array of non-negative integers"
                : "an array of " + requiredLength + " non-negative integers";
        if (array == null || !array.isArray() || (requiredLength >= 0 && array.size() != requiredLength)) {
            throw new TensorFormatException(where + ": field \"" + field + "\" is missing or not " + expected
                    + (array == null ? "" : " (" + array + ")"));
        }
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw new TensorFormatException(where + ": field \"" + field + "\" is not " + expected
                        + " (" + array + ")");
            }
            values[i] = v.asLong();
        }
        return values;
    }

    private static void checkNoOverlap(String file, List<TensorInfo> tensors) {
        List<TensorInfo> byBegin = new ArrayList<>(tensors);
        byBegin.removeIf(t -> t.byteLength() == 0);
        byBegin.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < byBegin.size(); i++) {
            TensorInfo previous = byBegin.get(i - 1);
            TensorInfo current = byBegin.get(i);
            if (current.begin() < previous.end()) {
                throw new TensorFormatException(file + ": tensors \"" + previous.name() + "\" [" + previous.begin()
                        + ", " + previous.end() + "] and \"" + current.name() + "\" [" + current.begin() + ", "
                        + current.end() + "] overlap in the data section");
            }
        }
    }

    /**
     * Encodes a header: {@code __metadata__} first (when not empty), then the tensors in the given
     * order, padded with spaces so that the data section starts at a multiple of 8 bytes.
     *
     * @return the 8-byte length followed by the JSON
     */
    public static byte[] encode(List<TensorInfo> tensors, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        for (TensorInfo t : tensors) {
            ObjectNode entry = root.putObject(t.name());
            entry.put("dtype", t.dtype().headerName());
            ArrayNode shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(t.begin()).add(t.end());
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[8 + padded];
        MemorySegment.ofArray(out).set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, padded);
        System.arraycopy(json, 0, out, 8, json.length);
        Arrays.fill(out, 8 + json.length, out.length, (byte) ' ');
        return out;
    }
}
