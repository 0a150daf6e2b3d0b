package dev.lasermesh.core.search;

import dev.lasermesh.core.InvalidInputException;
/**
 * A search specification or a value handed to a search is unusable; the message names the strategy,
 * the parameter or candidate, and the offending value, so the gateway can return it to the user as is.
 */
public final class SearchParameterException extends InvalidInputException {

    public SearchParameterException(String message) {
        super(message);
    }
}
