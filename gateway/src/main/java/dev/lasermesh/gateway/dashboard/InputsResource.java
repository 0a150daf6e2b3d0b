package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.contracts.job.JobSpecValidator;
import dev.lasermesh.gateway.api.ReadKeyRequired;
import dev.lasermesh.gateway.config.InputRoots;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What the submit form offers: the models and texts under the configured roots that a job may name. */
@Path("/api/v1/inputs")
@Produces(MediaType.APPLICATION_JSON)
@ReadKeyRequired
public class InputsResource {

    private final InputRoots roots;
    private final JobSpecValidator validator;

    @Inject
    public InputsResource(InputRoots roots, JobSpecValidator validator) {
        this.roots = roots;
        this.validator = validator;
    }

    @GET
    @Operation(summary = "The models and texts under the configured roots, as a job spec names them")
    public InputCatalog inputs() {
        return InputCatalog.scan(roots, validator);
    }
}
