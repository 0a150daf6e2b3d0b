package dev.lasermesh.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns Jackson's failures into one-line {@link ContractException}s that name the JSON field and say
 * what was expected, in JSON terms rather than Java types.
 */
final class JsonErrors {

    /** Jackson's message for {@code NaN}, {@code Infinity}, {@code -Infinity} outside quotes. */
    private static final Pattern NON_STANDARD_TOKEN = Pattern.compile("Non-standard token '([^']*)'");
    /** Jackson's advice to enable a parser feature ({@code : enable `JsonReadFeature.X` to allow}). */
    private static final Pattern PARSER_ADVICE = Pattern.compile("[:;,]?\\s*\\(?(?:or )?enable `[^`]*`[^);]*\\)?");
    /** The most of a parser message an error repeats (its quote of the offending token can be long). */
    private static final int MAX_PARSER_MESSAGE_CHARS = 200;

    private JsonErrors() {
    }

    static ContractException describe(JsonProcessingException e, Class<?> type) {
        String what = type.getSimpleName();
        if (e instanceof JsonMappingException m && m.getCause() instanceof StreamReadException notJson) {
            return malformed(notJson, what);
        }
        if (e instanceof ValueInstantiationException v) {
            return rejectedValue(v, what);
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ", " (known: ", ")"));
            return new ContractException(what + ": unknown field " + Quoted.of(u.getPropertyName()) + known, Json.path(u));
        }
        if (e instanceof InvalidTypeIdException t) {
            return unknownType(t, what);
        }
        if (e instanceof InvalidFormatException f) {
            String field = Json.path(f);
            return new ContractException(what + ": " + label(field) + " must be " + expected(f.getTargetType())
                    + ", got " + quoted(f.getValue()), nullIfEmpty(field));
        }
        if (e instanceof MismatchedInputException m) {
            String field = Json.path(m);
            if (field.isEmpty() && m.getOriginalMessage().startsWith("No content")) {
                return new ContractException(what + ": empty document, expected a JSON object", null);
            }
            String problem = m.getOriginalMessage().startsWith("Cannot map `null`") ? " is missing or null; it must be "
                    : " must be ";
            return new ContractException(what + ": " + label(field) + problem + expected(m.getTargetType()),
                    nullIfEmpty(field));
        }
        if (e instanceof JsonMappingException m) {
            String field = Json.path(m);
            return new ContractException(what + ": " + label(field) + ": " + m.getOriginalMessage(), nullIfEmpty(field));
        }
        return malformed(e, what);
    }

    /** A record's constructor rejected a value: its message stands, its field is put under the object's path. */
    private static ContractException rejectedValue(ValueInstantiationException v, String what) {
        String path = Json.path(v);
        Throwable cause = v.getCause();
        if (cause instanceof ContractException c) {
            return c.within(path);
        }
        String message = cause != null && cause.getMessage() != null ? cause.getMessage() : v.getOriginalMessage();
        return new ContractException(what + ": " + label(path) + ": " + message, nullIfEmpty(path));
    }

    private static ContractException unknownType(InvalidTypeIdException t, String what) {
        String field = Json.path(t);
        Class<?> base = t.getBaseType() == null ? null : t.getBaseType().getRawClass();
        JsonTypeInfo info = base == null ? null : base.getAnnotation(JsonTypeInfo.class);
        JsonSubTypes subtypes = base == null ? null : base.getAnnotation(JsonSubTypes.class);
        String property = info == null ? "type" : info.property();
        String valid = subtypes == null ? "" : Arrays.stream(subtypes.value()).map(JsonSubTypes.Type::name)
                .collect(Collectors.joining(", ", " (valid: ", ")"));
        String message = t.getTypeId() == null
                ? label(field) + " needs \"" + property + "\" to say which kind it is" + valid
                : "unknown " + property + " " + Quoted.of(t.getTypeId()) + valid;
        return new ContractException(what + ": " + message, nullIfEmpty(field));
    }

    /**
     * Not JSON at all (or duplicate keys): where the parser stopped, the field it was in, and the parser's
     * message without its advice to reconfigure the parser (bare {@code NaN} is explained instead).
     */
    private static ContractException malformed(JsonProcessingException e, String what) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String field = null;
        if (e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null) {
            field = nullIfEmpty(pointerToPath(parser.getParsingContext().pathAsPointer().toString()));
        }
        return new ContractException(what + ": malformed JSON" + where + (field == null ? "" : " in " + field) + ": "
                + parserProblem(e.getOriginalMessage()), field);
    }

    private static String parserProblem(String message) {
        Matcher nonStandard = NON_STANDARD_TOKEN.matcher(message);
        if (nonStandard.lookingAt()) {
            return "bare " + nonStandard.group(1) + " is not a JSON value (a field that takes a non-finite number"
                    + " is given the string \"NaN\", \"Infinity\" or \"-Infinity\")";
        }
        String problem = PARSER_ADVICE.matcher(message).replaceAll("");
        return problem.length() <= MAX_PARSER_MESSAGE_CHARS ? problem
                : problem.substring(0, MAX_PARSER_MESSAGE_CHARS) + "…";
    }

    /** {@code /evaluation/texts/1} → {@code evaluation.texts[1]}. */
    private static String pointerToPath(String pointer) {
        StringBuilder path = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.chars().allMatch(Character::isDigit)) {
                path.append('[').append(segment).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(segment.replace("~1", "/").replace("~0", "~"));
            }
        }
        return path.toString();
    }

    /** What a value of {@code type} looks like in JSON. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == BigInteger.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number (or \"NaN\", \"Infinity\", \"-Infinity\")";
        }
        if (type == BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> "\"" + Json.jsonName((Enum<?>) c) + "\"")
                    .collect(Collectors.joining(", "));
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 instant such as \"2025-01-31T12:00:00Z\"";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String label(String field) {
        return field.isEmpty() ? "the document" : field;
    }

    private static String quoted(Object value) {
        return value instanceof String s ? Quoted.of(s) : String.valueOf(value);
    }

    private static String nullIfEmpty(String field) {
        return field == null || field.isEmpty() ? null : field;
    }
}
