package dev.lasermesh.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on 127.0.0.1 that nothing listens on at the moment of asking, for servers a test starts and
 * binds later (the Kafka broker, the mesh's services). They are taken below Linux's ephemeral range
 * (32768–60999 by default): a port the kernel picks for port 0 lies in that range, where, between the
 * test closing its probe socket and the server binding the port, the kernel may give it to an outgoing
 * connection (a Kafka or PostgreSQL client's), and the server then fails with "port in use" (seen in a
 * mesh test). Below the range only listeners take ports. Within one JVM no port is handed out twice.
 */
public final class FreePorts {

    private static final int FIRST = 20_000;
    private static final int END = 32_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** One free port. */
    public static int pick() {
        return pick(1)[0];
    }

    /** {@code count} distinct free ports, scanned from a random place in [{@value #FIRST}, {@value #END}). */
    public static synchronized int[] pick(int count) {
        int[] ports = new int[count];
        int found = 0;
        int start = ThreadLocalRandom.current().nextInt(END - FIRST);
        for (int i = 0; i < END - FIRST && found < count; i++) {
            int port = FIRST + (start + i) % (END - FIRST);
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                ports[found++] = port;
            }
        }
        if (found < count) {
            throw new UncheckedIOException(new IOException("no " + count + " free ports on the loopback address in ["
                    + FIRST + ", " + END + ")"));
        }
        return ports;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
