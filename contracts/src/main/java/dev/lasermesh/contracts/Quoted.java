package dev.lasermesh.contracts;

/**
 * A value from a request or a message, quoted in an error message: the message names the value at
 * fault, and shows at most {@value #MAX_CHARS} characters of it, so that a value of megabytes does not
 * come back as an error of megabytes.
 */
public final class Quoted {

    /** The most characters of a value an error message shows. */
    public static final int MAX_CHARS = 80;

    private Quoted() {
    }

    /** {@code "value"}, or its first {@value #MAX_CHARS} characters and its length: {@code "valu"… (9437184 characters)}. */
    public static String of(String value) {
        if (value == null) {
            return "null";
        }
        if (value.length() <= MAX_CHARS) {
            return "\"" + value + "\"";
        }
        int end = Character.isHighSurrogate(value.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return "\"" + value.substring(0, end) + "\"… (" + value.length() + " characters)";
    }
}
