package dev.lasermesh.core.search;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A search strategy with its candidates and parameters (DESIGN §3.3). In JSON the strategy name is
 * the {@code "strategy"} property: {@code laserrmt-greedy}, {@code snr-greedy}, {@code laser-grid},
 * {@code one-shot}, {@code sfsd-surgical}. A specification that exists is valid: the constructors
 * reject bad parameters with a {@link SearchParameterException} naming the parameter.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "strategy")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LaserRmtGreedySpec.class, name = LaserRmtGreedySpec.NAME),
        @JsonSubTypes.Type(value = SnrGreedySpec.class, name = SnrGreedySpec.NAME),
        @JsonSubTypes.Type(value = LaserGridSpec.class, name = LaserGridSpec.NAME),
        @JsonSubTypes.Type(value = OneShotSpec.class, name = OneShotSpec.NAME),
        @JsonSubTypes.Type(value = SfsdSurgicalSpec.class, name = SfsdSurgicalSpec.NAME)})
public sealed interface SearchSpec
        permits LaserRmtGreedySpec, SnrGreedySpec, LaserGridSpec, OneShotSpec, SfsdSurgicalSpec {

    /** The strategy name, as in JSON. */
    String strategyName();
}
