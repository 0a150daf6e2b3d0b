package dev.lasermesh.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON configuration of the mesh: every service reads and writes messages and REST bodies
 * through {@link #read}/{@link #write}, or applies {@link #configure} to its framework's mapper, so
 * that the bytes on the wire mean the same everywhere.
 *
 * <p>Decisions (docs/contracts.md, "JSON rules"):
 * <ul>
 *   <li>Unknown fields are errors. A misspelt job-spec field ({@code "windw": 64}) must not silently
 *       fall back to a default; for messages it means producer and consumer disagree on the contract.
 *       Hence a field may only be added to a message after every consumer has been upgraded.</li>
 *   <li>Null fields are left out when writing; a missing field reads as null (optional fields) —
 *       the records' constructors reject a missing required one, naming it.</li>
 *   <li>Non-finite numbers are the JSON strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"},
 *       as Jackson's defaults write them and as core's search snapshots and spectrum summaries already
 *       carry them (e.g. the SNR of a spectrum without noise); bare {@code Infinity} is not JSON and
 *       is rejected.</li>
 *   <li>No lenient coercions: a float where an integer is expected ({@code 12.5} for a window), a
 *       string for an integer or boolean, a number for an enum, a null for a primitive, duplicate keys
 *       and trailing content are errors.</li>
 *   <li>Instants are ISO-8601 strings in UTC ({@code "2025-01-31T12:00:00Z"}); decimals
 *       ({@link java.math.BigDecimal}, used for the exact partial sums of evaluations) are written in
 *       plain notation and read exactly.</li>
 * </ul>
 */
public final class Json {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private Json() {
    }

    /**
     * Applies the mesh's JSON rules to {@code mapper} (for a framework's own mapper, e.g. from a
     * Quarkus {@code ObjectMapperCustomizer}).
     *
     * @return {@code mapper}
     */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        forbid(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Boolean);
        forbid(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean);
        forbid(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer);
        forbid(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        return mapper;
    }

    private static void forbid(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
        }
    }

    /** {@code value} as JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as UTF-8 JSON bytes (a Kafka record value). */
    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a {@code type} from JSON text.
     *
     * @throws ContractException naming the field at fault, when the text is not JSON, is {@code null},
     *                           does not match {@code type}, or a constructor rejects a value
     */
    public static <T> T read(String json, Class<T> type) {
        try {
            return present(MAPPER.readValue(json, type), type);
        } catch (JsonProcessingException e) {
            throw JsonErrors.describe(e, type);
        }
    }

    /** Reads a {@code type} from UTF-8 JSON bytes (a Kafka record value); see {@link #read(String, Class)}. */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return present(MAPPER.readValue(json, type), type);
        } catch (JsonProcessingException e) {
            throw JsonErrors.describe(e, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document {@code null} reads as no object at all; it is refused like an empty document. */
    private static <T> T present(T value, Class<T> type) {
        if (value == null) {
            throw new ContractException(type.getSimpleName() + ": the body is null; expected a JSON object", null);
        }
        return value;
    }

    /**
     * The user-facing form of a Jackson failure, for a framework that parses with its own mapper (the
     * gateway's REST layer turns it into an HTTP 400 body).
     */
    public static ContractException describe(JsonProcessingException e, Class<?> type) {
        return JsonErrors.describe(e, type);
    }

    /** The JSON name of an enum constant ({@code dense} for {@link OutputForm#DENSE}). */
    static String jsonName(Enum<?> constant) {
        return MAPPER.valueToTree(constant).asText();
    }

    /** The path of a Jackson failure as {@code evaluation.texts[1]}; empty at the document's root. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
