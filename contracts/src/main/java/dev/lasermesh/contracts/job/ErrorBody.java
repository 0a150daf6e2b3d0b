package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Require;

/**
 * The body of an HTTP 400 (and other error) answer: {@code {"error":"window must be at least 2 tokens,
 * got 0","field":"evaluation.window"}}.
 *
 * @param error one line saying what is wrong
 * @param field the JSON path of the field at fault; null (left out) when no single field is
 */
public record ErrorBody(String error, String field) {

    public ErrorBody {
        Require.text(error, "error");
    }

    /** The body for a rejected message or job spec. */
    public static ErrorBody of(ContractException e) {
        return new ErrorBody(e.getMessage(), e.field());
    }
}
