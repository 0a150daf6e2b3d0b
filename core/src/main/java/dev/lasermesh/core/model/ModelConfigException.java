package dev.lasermesh.core.model;

import dev.lasermesh.core.InvalidInputException;

/** config.json is missing, malformed or inconsistent; the message names the file and the field. */
public class ModelConfigException extends InvalidInputException {

    public ModelConfigException(String message) {
        super(message);
    }
}
