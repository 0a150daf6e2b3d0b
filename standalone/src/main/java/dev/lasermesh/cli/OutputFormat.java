package dev.lasermesh.cli;

/** How a command prints its result on standard output. */
public enum OutputFormat {
    /** Aligned columns for people. */
    table,
    /** One JSON document for scripts. */
    json
}
