package dev.lasermesh.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.contracts.Json;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Makes Quarkus's mapper follow the contract's JSON rules ({@link Json#configure}), so REST bodies read and write as messages do. */
@Singleton
public class ContractJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        Json.configure(mapper);
    }

    /** After Quarkus's own customizations, so the contract's rules win. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }
}
