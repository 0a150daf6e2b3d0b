package dev.lasermesh.core.tensor;

import dev.lasermesh.core.InvalidInputException;

/**
 * A model file is malformed or does not hold what was asked for. The message always names the file
 * (and the tensor, where one is involved) and the problem, so it can be shown to a user as is.
 */
public class TensorFormatException extends InvalidInputException {

    public TensorFormatException(String message) {
        super(message);
    }

    public TensorFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
