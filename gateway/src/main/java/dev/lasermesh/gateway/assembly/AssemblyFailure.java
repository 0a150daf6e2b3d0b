package dev.lasermesh.gateway.assembly;

import java.util.function.Supplier;

/**
 * The assembly of a job's output failed at a named step ({@code writing model.layers.5.mlp.up_proj.weight:
 * OutOfMemoryError: Java heap space}), so the job's reason says where. An {@link OutOfMemoryError} is
 * caught and named like an exception: a failed allocation of one block frees its memory again, and the
 * job must end {@code FAILED} rather than stay assembling (issue 13).
 */
public final class AssemblyFailure extends RuntimeException {

    private AssemblyFailure(String step, Throwable cause) {
        super(step + ": " + describe(cause), cause);
    }

    /**
     * Runs {@code work} as {@code step}: an exception or {@link OutOfMemoryError} it throws comes back as an
     * AssemblyFailure naming the step, unless it already names an inner one.
     */
    static <T> T during(String step, Supplier<T> work) {
        try {
            return work.get();
        } catch (AssemblyFailure e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new AssemblyFailure(step, e);
        }
    }

    /** {@link #during(String, Supplier)} for work without a result. */
    static void during(String step, Runnable work) {
        during(step, () -> {
            work.run();
            return null;
        });
    }

    /**
     * What went wrong, for a job's reason: an exception's message (which names its file or matrix), an
     * error's class and message ({@code OutOfMemoryError: Java heap space}).
     */
    public static String describe(Throwable t) {
        if (t instanceof Error || t.getMessage() == null) {
            return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        return t.getMessage();
    }
}
