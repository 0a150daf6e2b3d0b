package dev.lasermesh.testkit.broker;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Main class of the test Kafka broker's JVM: runs another main class (normally {@code kafka.Kafka}) and halts
 * this JVM as soon as its standard input reaches end of file.
 *
 * <p>The starting test JVM keeps the write end of that pipe open for the broker's whole life, so end of file
 * means the parent is gone, even when it was killed with SIGKILL and its shutdown hooks never ran. Without this
 * watch an orphaned broker would keep its ports, memory and CPU until someone noticed it.
 *
 * <p>The target is called by reflection, so this class compiles and loads without Kafka on the classpath.
 */
public final class BrokerLauncher {

    /** Exit status of a broker halted because its parent went away. */
    static final int PARENT_GONE_STATUS = 3;

    private BrokerLauncher() {
    }

    /**
     * @param args the fully qualified main class to run, followed by its arguments
     */
    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("BrokerLauncher: no main class given (usage: BrokerLauncher <main class> [args...])");
        }
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> haltAtEndOf(System.in));
        try {
            Class.forName(args[0])
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void haltAtEndOf(InputStream parentPipe) {
        try {
            while (parentPipe.read() >= 0) {
                // The parent never writes; anything it might send is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end of file: the parent is gone.
        }
        Runtime.getRuntime().halt(PARENT_GONE_STATUS);
    }
}
