package dev.lasermesh.contracts;

/**
 * The version of the wire format. Every Kafka message and the job spec carry it as {@code "version"};
 * a reader rejects a version it does not know rather than guess at fields whose meaning may have
 * changed. The number is bumped for a change that old readers would misread (a field renamed, removed
 * or given a new meaning); see docs/contracts.md for the upgrade rules.
 */
public final class ContractVersion {

    /** The version this build writes and the only one it reads. */
    public static final int CURRENT = 1;

    private ContractVersion() {
    }

    /**
     * Checks the version of a message being read or built.
     *
     * @param version the {@code "version"} field
     * @param what    the message type, for the error ({@code AnalysisTask}, {@code job spec}, ...)
     * @return {@code version}
     * @throws ContractException naming field {@code version} when it is not {@link #CURRENT}; 0 is
     *                           reported as missing, since a JSON reader gives 0 for an absent int
     */
    public static int require(int version, String what) {
        if (version == 0) {
            throw new ContractException(what + " has no contract version: \"version\": " + CURRENT
                    + " is required", "version");
        }
        if (version != CURRENT) {
            throw new ContractException(what + " has contract version " + version
                    + ", which this reader does not support (it reads version " + CURRENT + ")", "version");
        }
        return version;
    }
}
