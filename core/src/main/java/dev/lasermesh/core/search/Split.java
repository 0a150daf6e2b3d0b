package dev.lasermesh.core.search;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which windows of the perplexity protocol an evaluation scores. The windows are those the protocol
 * makes of the evaluation text (DESIGN §3.2), numbered 0..W−1 in text order; with a validation
 * fraction f the validation split is windows [0, ⌊f·W⌋) and the report split [⌊f·W⌋, W), as LASER's
 * {@code validate(predictions, split=0.2)} takes the first {@code int(0.2·n)} examples for model
 * selection and reports on the rest (anchors-algorithms.md §4.2).
 */
public enum Split {
    /** Every window: the greedy strategies search and report on the same text, as laserRMT does. */
    @JsonProperty("full") FULL("full"),
    /** The first fraction of the windows: used to choose among candidates. */
    @JsonProperty("validation") VALIDATION("validation"),
    /** The remaining windows: the number reported for the chosen model state. */
    @JsonProperty("report") REPORT("report");

    private final String label;

    Split(String label) {
        this.label = label;
    }

    /** The name used in JSON and in request ids. */
    public String label() {
        return label;
    }
}
