package dev.lasermesh.contracts;

import dev.lasermesh.core.InvalidInputException;

/**
 * A message or request body is unusable: malformed JSON, a missing or malformed field, an unsupported
 * contract version, a job spec that fails validation. The message is one line a user can act on;
 * {@link #field()} is the JSON path of the offending field ({@code evaluation.window},
 * {@code evaluation.texts[1]}, {@code policy}), or null when the problem is the document as a whole.
 */
public class ContractException extends InvalidInputException {

    private final String field;

    /**
     * @param message what is wrong, in one line
     * @param field   JSON path of the offending field, or null for the whole document
     */
    public ContractException(String message, String field) {
        super(message);
        this.field = field;
    }

    /** The JSON path of the offending field, or null when the problem is not one field's. */
    public String field() {
        return field;
    }

    /**
     * The same problem, seen from an enclosing object: its field path gets {@code prefix} in front
     * ({@code window} inside {@code evaluation} becomes {@code evaluation.window}).
     */
    public ContractException within(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return this;
        }
        String path = field == null ? prefix : field.startsWith("[") ? prefix + field : prefix + "." + field;
        return new ContractException(getMessage(), path);
    }
}
