package dev.lasermesh.core.gguf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The key–value pairs of a GGUF header, in the order they are put, with their GGUF value types
 * ({@code enum gguf_type} of {@code ggml/include/gguf.h}: UINT32 4, INT32 5, FLOAT32 6, BOOL 7,
 * STRING 8, ARRAY 9).
 */
public final class GgufMetadata {

    static final int UINT32 = 4;
    static final int INT32 = 5;
    static final int FLOAT32 = 6;
    static final int BOOL = 7;
    static final int STRING = 8;
    static final int ARRAY = 9;

    /**
     * One pair.
     *
     * @param key         the key
     * @param type        the value type
     * @param elementType the element type of an array (0 otherwise)
     * @param value       String, Integer (u32/i32), Float, Boolean, or a List of those
     */
    record Entry(String key, int type, int elementType, Object value) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public GgufMetadata putString(String key, String value) {
        return add(new Entry(key, STRING, 0, value));
    }

    public GgufMetadata putUInt32(String key, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(key + ": " + value + " does not fit an unsigned 32-bit value");
        }
        return add(new Entry(key, UINT32, 0, (int) value));
    }

    public GgufMetadata putFloat32(String key, double value) {
        return add(new Entry(key, FLOAT32, 0, (float) value));
    }

    public GgufMetadata putBool(String key, boolean value) {
        return add(new Entry(key, BOOL, 0, value));
    }

    public GgufMetadata putStrings(String key, List<String> values) {
        return add(new Entry(key, ARRAY, STRING, List.copyOf(values)));
    }

    public GgufMetadata putInt32s(String key, List<Integer> values) {
        return add(new Entry(key, ARRAY, INT32, List.copyOf(values)));
    }

    public GgufMetadata putFloat32s(String key, List<Float> values) {
        return add(new Entry(key, ARRAY, FLOAT32, List.copyOf(values)));
    }

    private GgufMetadata add(Entry entry) {
        if (entries.stream().anyMatch(e -> e.key().equals(entry.key()))) {
            throw new IllegalArgumentException("GGUF key " + entry.key() + " is set twice");
        }
        entries.add(entry);
        return this;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Key → value, for reports and tests (arrays as lists). */
    public Map<String, Object> asMap() {
        return entries.stream().collect(Collectors.toMap(Entry::key, Entry::value, (a, b) -> a,
                java.util.LinkedHashMap::new));
    }

    /** The keys, in order. */
    public List<String> keys() {
        return entries.stream().map(Entry::key).toList();
    }
}
