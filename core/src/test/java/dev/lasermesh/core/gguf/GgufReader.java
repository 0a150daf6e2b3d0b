package dev.lasermesh.core.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent reader of GGUF files (ggml's {@code docs/gguf.md}, every value type), for checking
 * what the writer wrote: the key–value pairs, the tensor infos and each tensor's bytes, with the
 * structural rules llama.cpp enforces (magic, version 3, offsets aligned and in order, data inside the file).
 */
final class GgufReader {

    record Tensor(String name, long[] ne, int type, long offset) {
    }

    final int version;
    final Map<String, Object> metadata = new LinkedHashMap<>();
    final Map<String, Tensor> tensors = new LinkedHashMap<>();
    final long dataStart;
    private final ByteBuffer file;

    GgufReader(Path path) throws IOException {
        file = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[4];
        file.get(magic);
        if (!"GGUF".equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw new IllegalStateException("not a GGUF file");
        }
        version = file.getInt();
        long tensorCount = file.getLong();
        long kvCount = file.getLong();
        for (long i = 0; i < kvCount; i++) {
            String key = string();
            metadata.put(key, value(file.getInt()));
        }
        for (long i = 0; i < tensorCount; i++) {
            String name = string();
            long[] ne = new long[file.getInt()];
            for (int d = 0; d < ne.length; d++) {
                ne[d] = file.getLong();
            }
            tensors.put(name, new Tensor(name, ne, file.getInt(), file.getLong()));
        }
        int alignment = ((Number) metadata.getOrDefault("general.alignment", 32)).intValue();
        dataStart = (file.position() + alignment - 1L) / alignment * alignment;
    }

    /** The bytes of a tensor, {@code length} of them from its offset. */
    byte[] data(String name, long length) {
        Tensor t = tensors.get(name);
        byte[] out = new byte[(int) length];
        file.get((int) (dataStart + t.offset()), out);
        return out;
    }

    long fileSize() {
        return file.capacity();
    }

    private String string() {
        byte[] b = new byte[(int) file.getLong()];
        file.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private Object value(int type) {
        return switch (type) {
            case 0 -> file.get() & 0xFF;
            case 1 -> (int) file.get();
            case 2 -> file.getShort() & 0xFFFF;
            case 3 -> (int) file.getShort();
            case 4 -> Integer.toUnsignedLong(file.getInt());
            case 5 -> file.getInt();
            case 6 -> file.getFloat();
            case 7 -> file.get() != 0;
            case 8 -> string();
            case 9 -> {
                int elementType = file.getInt();
                long n = file.getLong();
                List<Object> values = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    values.add(value(elementType));
                }
                yield values;
            }
            case 10 -> file.getLong();
            case 11 -> file.getLong();
            case 12 -> file.getDouble();
            default -> throw new IllegalStateException("unknown GGUF value type " + type);
        };
    }
}
