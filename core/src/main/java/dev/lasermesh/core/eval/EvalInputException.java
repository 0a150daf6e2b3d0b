package dev.lasermesh.core.eval;

import dev.lasermesh.core.InvalidInputException;

/**
 * An evaluation request is wrong: a text file missing, empty, not UTF-8 or too short for one window, a
 * protocol parameter out of range, a model without the BOS token a protocol needs. The message names
 * the file or parameter.
 */
public class EvalInputException extends InvalidInputException {

    public EvalInputException(String message) {
        super(message);
    }

    public EvalInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
