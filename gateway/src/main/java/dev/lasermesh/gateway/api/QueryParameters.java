package dev.lasermesh.gateway.api;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Quoted;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Query parameters read from their text: JAX-RS answers a value it cannot convert to the declared type
 * with 404 and no body, as if the resource did not exist; these answer 400 naming the parameter.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    /**
     * The integer {@code given} (or {@code defaultValue} when absent).
     *
     * @throws ContractException naming {@code name} when it is not an integer in [min, max]
     */
    public static int integer(String given, String name, int defaultValue, int min, int max) {
        if (given == null) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(given.trim());
        } catch (NumberFormatException e) {
            throw new ContractException(name + " must be an integer between " + min + " and " + max + ", got "
                    + Quoted.of(given), name);
        }
        if (value < min || value > max) {
            throw new ContractException(name + " must be between " + min + " and " + max + ", got " + value, name);
        }
        return value;
    }

    /**
     * The constant of {@code type} named {@code given} (any case), or null when absent.
     *
     * @throws ContractException naming {@code name} when no constant has that name
     */
    public static <E extends Enum<E>> E constant(String given, String name, Class<E> type) {
        if (given == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, given.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ContractException(name + " must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).collect(Collectors.joining(", ")) + ", got " + Quoted.of(given), name);
        }
    }
}
