package dev.lasermesh.meshit;

import java.time.Duration;

/** Sleeping in polling loops, with an interrupt turned into an exception that names what was awaited. */
final class Pause {

    private Pause() {
    }

    static void of(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
