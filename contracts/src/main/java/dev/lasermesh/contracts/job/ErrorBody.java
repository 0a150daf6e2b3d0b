package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Require;

/**
 * The body of an HTTP 400 (and other error) answer: {@code {"error":"window must be at least 2 tokens,
 * got 0","field":"evaluation.window"}}.
 *
 * <p>Messages quote the values at fault shortened ({@link dev.lasermesh.contracts.Quoted}); as a last
 * bound, an error longer than {@value #MAX_ERROR_CHARS} characters (a message of core's that quotes a
 * long value whole) is cut there.
 *
 * @param error one line saying what is wrong
 * @param field the JSON path of the field at fault; null (left out) when no single field is
 */
public record ErrorBody(String error, String field) {

    /** The longest error an answer carries. */
    public static final int MAX_ERROR_CHARS = 1000;

    public ErrorBody {
        Require.text(error, "error");
        error = cut(error);
        field = field == null ? null : cut(field);
    }

    /** The body for a rejected message or job spec. */
    public static ErrorBody of(ContractException e) {
        return new ErrorBody(e.getMessage(), e.field());
    }

    private static String cut(String text) {
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS - 1) + "…";
    }
}
