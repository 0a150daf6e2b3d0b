package dev.lasermesh.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A progress bar on standard error for multi-step work (matrices analysed, windows evaluated).
 *
 * <p>On a terminal it redraws one line in place; when stderr is a file or a pipe it prints a plain
 * line at most every few seconds and at the end, so logs stay readable. Standard output is left to
 * the result (table or JSON), so {@code lasermesh analyze --format json > out.json} stays clean.
 */
public final class ProgressBar implements AutoCloseable {

    private static final int WIDTH = 30;
    private static final long PLAIN_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();

    private final PrintStream err;
    private final String label;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long total;
    private long done;
    private long lastPrintNanos;
    private String detail = "";

    public ProgressBar(PrintStream err, String label, long total, boolean interactive) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.interactive = interactive;
    }

    /** A bar on {@link System#err} that redraws in place only when stderr is a terminal. */
    public static ProgressBar onStderr(String label, long total) {
        java.io.Console console = System.console();
        return new ProgressBar(System.err, label, total, console != null && console.isTerminal());
    }

    /** Changes the total when it becomes known (e.g. after tokenising). */
    public synchronized void total(long newTotal) {
        total = newTotal;
        draw(false);
    }

    /** Marks {@code n} more steps done, with a short description of the current item. */
    public synchronized void advance(long n, String currentItem) {
        done += n;
        detail = currentItem == null ? "" : currentItem;
        draw(false);
    }

    /** Sets the absolute number of steps done. */
    public synchronized void set(long doneSteps, String currentItem) {
        done = doneSteps;
        detail = currentItem == null ? "" : currentItem;
        draw(false);
    }

    @Override
    public synchronized void close() {
        draw(true);
        if (interactive) {
            err.println();
        }
        err.flush();
    }

    private void draw(boolean last) {
        long now = System.nanoTime();
        if (!interactive && !last && now - lastPrintNanos < PLAIN_INTERVAL_NANOS) {
            return;
        }
        lastPrintNanos = now;
        double fraction = total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double elapsed = (now - startNanos) / 1e9;
        String eta = done > 0 && done < total
                ? String.format(Locale.ROOT, " eta %s", seconds(elapsed / done * (total - done))) : "";
        String line = String.format(Locale.ROOT, "%s [%s%s] %d/%d %3.0f%% %s%s %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), done, total, fraction * 100, seconds(elapsed), eta, detail);
        if (interactive) {
            err.print("\r\u001b[2K" + line);
        } else {
            err.println(line);
        }
        err.flush();
    }

    private static String seconds(double s) {
        return s < 60 ? String.format(Locale.ROOT, "%.1fs", s)
                : String.format(Locale.ROOT, "%dm%02ds", (long) s / 60, (long) s % 60);
    }
}
