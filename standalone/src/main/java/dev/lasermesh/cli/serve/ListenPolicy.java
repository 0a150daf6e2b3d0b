package dev.lasermesh.cli.serve;

import dev.lasermesh.core.InvalidInputException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where {@code lasermesh serve} may listen with the keys it was given. On the loopback interface only this
 * machine's users reach the API, and the default key {@code dev} is a convenience; on any other address
 * anyone who reaches the port could submit and cancel jobs with it, so such an address needs a key of the
 * user's own. Reads (job views with absolute paths, output listings) stay open unless a read key is set.
 */
public final class ListenPolicy {

    /** The API key {@code serve} uses unless told otherwise. */
    public static final String DEFAULT_API_KEY = "dev";

    private ListenPolicy() {
    }

    /**
     * Checks the keys for {@code host}.
     *
     * @param readKey the read key, or null for open reads
     * @return whether reads are open to others than this machine's users (non-loopback, no read key)
     * @throws InvalidInputException when a key is empty, or {@code host} is not a loopback address and the
     *                               API key is the default one, or {@code host} cannot be resolved
     */
    public static boolean check(String host, String apiKey, String readKey) {
        if (apiKey.isBlank()) {
            throw new InvalidInputException("--api-key must not be empty");
        }
        if (readKey != null && readKey.isBlank()) {
            throw new InvalidInputException("--read-key must not be empty (leave it out for open reads)");
        }
        if (loopback(host)) {
            return false;
        }
        if (apiKey.equals(DEFAULT_API_KEY)) {
            throw new InvalidInputException("--host " + host + " is reachable from other machines, and anyone there "
                    + "could submit jobs with the default API key " + DEFAULT_API_KEY
                    + ": choose a key of your own with --api-key (and protect reads with --read-key)");
        }
        return readKey == null;
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new InvalidInputException("--host " + host + ": unknown host");
        }
    }
}
