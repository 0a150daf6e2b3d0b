package dev.lasermesh.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a reduced matrix is stored (DESIGN §3 {@code reduce}).
 */
public enum OutputForm {
    /** The rank-k reconstruction U_k·S_k·V_kᵀ, same shape and name as the original: loads anywhere. */
    @JsonProperty("dense") DENSE("dense"),
    /** The factors U_k·√S_k (out×k) and √S_k·V_kᵀ (k×in): smaller when k &lt; out·in/(out+in). */
    @JsonProperty("factored") FACTORED("factored");

    private final String label;

    OutputForm(String label) {
        this.label = label;
    }

    /** The name in JSON and on the command line. */
    public String label() {
        return label;
    }
}
