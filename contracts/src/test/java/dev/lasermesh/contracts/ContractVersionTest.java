package dev.lasermesh.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lasermesh.contracts.job.JobSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Readers reject a contract version they do not know, and a message without one. */
class ContractVersionTest {

    private static List<Object> versioned() {
        List<Object> all = new ArrayList<>(Samples.messages());
        all.add(Samples.fullSpec());
        return all;
    }

    private static String withVersion(Object value, Integer version) {
        ObjectNode tree = Json.read(Json.write(value), ObjectNode.class);
        if (version == null) {
            tree.remove("version");
        } else {
            tree.put("version", version);
        }
        return tree.toString();
    }

    @Test
    void anUnknownVersionIsRejectedNamingTheTypeAndTheVersions() {
        for (Object value : versioned()) {
            ContractException e = assertThrows(ContractException.class,
                    () -> Json.read(withVersion(value, 2), value.getClass()));
            assertEquals("version", e.field());
            assertTrue(e.getMessage().contains("has contract version 2, which this reader does not support (it reads "
                    + "version 1)"), e.getMessage());
        }
    }

    @Test
    void aMissingVersionIsRejected() {
        for (Object value : versioned()) {
            ContractException e = assertThrows(ContractException.class,
                    () -> Json.read(withVersion(value, null), value.getClass()));
            assertEquals("version", e.field(), e.getMessage());
            assertTrue(e.getMessage().contains("missing"), e.getMessage());
        }
    }

    @Test
    void aRecordCannotBeBuiltWithAnotherVersion() {
        ContractException e = assertThrows(ContractException.class,
                () -> new JobSpec(0, "m", null, null, null, null, null));
        assertEquals("job spec has no contract version: \"version\": 1 is required", e.getMessage());
    }
}
