package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What the submit form offers: the models and texts under the configured roots. */
@Path("/api/v1/inputs")
@Produces(MediaType.APPLICATION_JSON)
public class InputsResource {

    private final GatewayConfig config;

    @Inject
    public InputsResource(GatewayConfig config) {
        this.config = config;
    }

    @GET
    @Operation(summary = "The models and texts under the configured roots, as a job spec names them")
    public InputCatalog inputs() {
        return InputCatalog.scan(config.modelRoots(), config.dataRoots());
    }
}
