package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Quoted;
import dev.lasermesh.contracts.Require;
import dev.lasermesh.contracts.TaskFailure;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Checks shared by the task and result records of this package. */
final class TaskChecks {

    private TaskChecks() {
    }

    /** {@code path}, which must be an absolute path (model folders and texts, resolved by the gateway). */
    static String absolutePath(String path, String field) {
        Require.text(path, field);
        try {
            if (!Path.of(path).isAbsolute()) {
                throw new ContractException(field + " must be an absolute path, got " + Quoted.of(path), field);
            }
        } catch (InvalidPathException e) {
            throw new ContractException(field + " is not a valid path: " + e.getReason(), field);
        }
        return path;
    }

    /** A result carries exactly one of an output and a failure. */
    static void outputXorFailure(Object output, TaskFailure failure) {
        if ((output == null) == (failure == null)) {
            throw new ContractException("a result carries either \"output\" or \"failure\", not "
                    + (output == null ? "neither" : "both"), output == null ? "output" : "failure");
        }
    }
}
