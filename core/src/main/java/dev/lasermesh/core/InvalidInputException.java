package dev.lasermesh.core;

/**
 * Input a user supplied is wrong: a malformed file, a missing tensor, an inconsistent config, a bad
 * parameter. The message names what is wrong and where, in one line, so front ends (the CLI's exit
 * code 2, the gateway's HTTP 400, a worker's failed task) can show it as is, never as a stack trace.
 * It is an {@link IllegalArgumentException}: the argument a user gave is not acceptable.
 */
public class InvalidInputException extends IllegalArgumentException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
