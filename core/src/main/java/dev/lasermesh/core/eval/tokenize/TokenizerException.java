package dev.lasermesh.core.eval.tokenize;

import dev.lasermesh.core.InvalidInputException;

/** tokenizer.json is missing, unreadable or not a tokenizer; the message names the file. */
public class TokenizerException extends InvalidInputException {

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
