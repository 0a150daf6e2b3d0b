package dev.lasermesh.core.model.family;

import dev.lasermesh.core.model.ConfigFile;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sizes a family's shape rules use, read from one config.json: fields such as
 * {@code hidden_size} and sizes derived from them such as {@code kv_size} = num_key_value_heads ×
 * head_dim, each with how it follows from the file (for messages that explain a shape).
 *
 * @param source the config.json they were read from
 * @param byName every dimension by name, in reading order
 */
public record Dimensions(Path source, Map<String, Dimension> byName) {

    /**
     * One size.
     *
     * @param name       a config.json field ({@code hidden_size}) or a derived size ({@code q_size})
     * @param value      the size
     * @param derivation how it follows from config.json, e.g. {@code hidden_size=256} or
     *                   {@code num_attention_heads=8 × head_dim=32}
     */
    public record Dimension(String name, long value, String derivation) {
    }

    public Dimensions {
        byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /**
     * A size.
     *
     * @throws IllegalArgumentException when the family's rules name a size its reader does not produce
     */
    public long value(String name) {
        return get(name).value();
    }

    /** A size that is an int (every size a forward pass indexes by). */
    public int intValue(String name) {
        return Math.toIntExact(value(name));
    }

    /** How a size follows from config.json. */
    public String derivation(String name) {
        return get(name).derivation();
    }

    private Dimension get(String name) {
        Dimension d = byName.get(name);
        if (d == null) {
            throw new IllegalArgumentException(source + ": no dimension " + name + " (have " + byName.keySet() + ")");
        }
        return d;
    }

    /** Starts reading the dimensions of {@code config}. */
    public static Builder from(ConfigFile config) {
        return new Builder(config);
    }

    /** Reads fields and records derived sizes, in order; each value is available to later steps. */
    public static final class Builder {

        private final ConfigFile config;
        private final Map<String, Dimension> dimensions = new LinkedHashMap<>();

        private Builder(ConfigFile config) {
            this.config = config;
        }

        /** The file being read. */
        public ConfigFile config() {
            return config;
        }

        /**
         * A required positive integer field.
         *
         * @throws dev.lasermesh.core.model.ModelConfigException naming the file and the field
         */
        public int field(String name) {
            int value = config.positiveInt(name);
            put(name, value, name + "=" + value);
            return value;
        }

        /** A positive integer field that defaults to {@code fallback} when absent or null. */
        public int fieldOr(String name, int fallback) {
            if (config.has(name)) {
                return field(name);
            }
            put(name, fallback, name + "=" + fallback);
            return fallback;
        }

        /** A size derived from others, with how ({@code derivation}) for messages. */
        public long derived(String name, long value, String derivation) {
            put(name, value, derivation);
            return value;
        }

        /** {@code name} = a × b, explained as {@code a=… × b=…}. */
        public long product(String name, String a, String b) {
            return derived(name, Math.multiplyExact(value(a), value(b)), derivation(a) + " × " + derivation(b));
        }

        /** A size read or derived before. */
        public long value(String name) {
            return dimensions.get(name).value();
        }

        /** How a size read or derived before follows from the file. */
        public String derivation(String name) {
            return dimensions.get(name).derivation();
        }

        public Dimensions build() {
            return new Dimensions(config.source(), dimensions);
        }

        private void put(String name, long value, String derivation) {
            dimensions.put(name, new Dimension(name, value, derivation));
        }
    }
}
