package dev.lasermesh.gateway.dashboard;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The gateway as {@code lasermesh serve} runs it: the repository's demo model and text as its roots. */
public class DemoModelProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("lasermesh.model-roots", "../models", "lasermesh.data-roots", "../data",
                "lasermesh.artifacts", "target/e2e/artifacts", "quarkus.http.test-port", "0");
    }
}
