package dev.lasermesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.cli.serve.ListenPolicy;
import dev.lasermesh.core.InvalidInputException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} beyond the loopback interface: refused with the default API key or an empty one (exit 2,
 * one line, before anything starts), allowed with a key of the user's own, and then warned about open
 * reads unless a read key protects them.
 */
class ServeExposureTest {

    @TempDir
    Path data;

    private String refused(String... args) {
        StringWriter err = new StringWriter();
        int exit = LasermeshCli.commandLine().setErr(new PrintWriter(err, true)).execute(args);
        assertEquals(LasermeshCli.EXIT_BAD_INPUT, exit, err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        return err.toString();
    }

    @Test
    void aNonLoopbackHostWithTheDefaultOrNoKeyIsRefusedBeforeAnythingStarts() throws Exception {
        String dataDir = data.resolve("serve").toString();
        assertTrue(refused("serve", "--host", "0.0.0.0", "--data-dir", dataDir)
                .contains("--host 0.0.0.0 is reachable from other machines, and anyone there could submit jobs with "
                        + "the default API key dev: choose a key of your own with --api-key"));
        assertTrue(refused("serve", "--host", "0.0.0.0", "--api-key", "dev", "--data-dir", dataDir).contains("--api-key"));
        assertTrue(refused("serve", "--host", "::", "--data-dir", dataDir).contains("--host ::"));
        assertTrue(refused("serve", "--api-key", " ", "--data-dir", dataDir).contains("--api-key must not be empty"));
        assertTrue(refused("serve", "--host", "0.0.0.0", "--api-key", "s3cret", "--read-key", "", "--data-dir", dataDir)
                .contains("--read-key must not be empty"));
        assertFalse(Files.exists(data.resolve("serve")), "no database was started");
    }

    @Test
    void loopbackTakesAnyKeyOtherAddressesAKeyOfTheirOwn() {
        for (String host : new String[] {"127.0.0.1", "localhost", "::1"}) {
            assertFalse(ListenPolicy.check(host, ListenPolicy.DEFAULT_API_KEY, null), host);
        }
        assertTrue(ListenPolicy.check("0.0.0.0", "s3cret", null), "reads are open beyond loopback without a read key");
        assertFalse(ListenPolicy.check("0.0.0.0", "s3cret", "r3ad"));
        assertThrows(InvalidInputException.class, () -> ListenPolicy.check("no-such-host.invalid", "s3cret", null));
    }
}
