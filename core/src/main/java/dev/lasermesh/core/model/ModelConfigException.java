package dev.lasermesh.core.model;

/** config.json is missing, malformed or inconsistent; the message names the file and the field. */
public class ModelConfigException extends RuntimeException {

    public ModelConfigException(String message) {
        super(message);
    }
}
