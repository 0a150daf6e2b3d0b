package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.gateway.api.ReadKeyRequired;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The dashboard's LoRA and Spectrum views of a job (issue 10); same base path as the job API. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@ReadKeyRequired
public class LoraDashboardResource {

    private final LoraViews views;

    @Inject
    public LoraDashboardResource(LoraViews views) {
        this.views = views;
    }

    @GET
    @Path("{id}/lora")
    @Operation(summary = "A LoRA study job: spectra of W and W' with both thresholds, k before and after, ΔW's "
            + "singular values, |ΔW|/|W| and subspace overlap per adapted matrix of the selection; the order "
            + "study's table once scored (409 for a job without a LoRA study)")
    public LoraChart lora(@PathParam("id") String id) {
        return views.lora(id);
    }

    @GET
    @Path("{id}/scan")
    @Operation(summary = "Spectrum's scan of the job's model: SNR/σmax of every module, grouped by weight type")
    public ScanChart scan(@PathParam("id") String id) {
        return views.scan(id);
    }
}
