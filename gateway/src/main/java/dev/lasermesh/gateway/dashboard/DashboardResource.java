package dev.lasermesh.gateway.dashboard;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Quoted;
import dev.lasermesh.core.spectrum.EsdScale;
import dev.lasermesh.gateway.api.QueryParameters;
import dev.lasermesh.gateway.api.ReadKeyRequired;
import dev.lasermesh.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Read-only views of a job for the dashboard's charts, computed with core from what the job store holds
 * (the pages themselves are static resources under {@code META-INF/resources}). Same base path as the
 * job API, whose class this adds to.
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@ReadKeyRequired
public class DashboardResource {

    /** Most bins of an ESD histogram. */
    static final int MAX_BINS = 1000;
    /** Bins when the request does not say. */
    static final int DEFAULT_BINS = 60;

    private final DashboardViews views;
    private final GatewayConfig config;

    @Inject
    public DashboardResource(DashboardViews views, GatewayConfig config) {
        this.views = views;
        this.config = config;
    }

    @GET
    @Path("{id}/matrices/{tensor}/spectrum")
    @Operation(summary = "ESD of a matrix with the fitted Marchenko-Pastur density and every policy's threshold",
            description = "scale: singular (the singular values) or squared (their squares); bins: 1 to 1000.")
    public SpectrumChart spectrum(@PathParam("id") String id, @PathParam("tensor") String tensor,
                                  @QueryParam("bins") String bins,
                                  @QueryParam("scale") @DefaultValue("singular") String scale) {
        return views.spectrum(id, tensor, QueryParameters.integer(bins, "bins", DEFAULT_BINS, 1, MAX_BINS),
                scale(scale));
    }

    @GET
    @Path("{id}/compression")
    @Operation(summary = "Parameters and bytes of the selected matrices before and after, dense and factored, per module type")
    public CompressionTable compression(@PathParam("id") String id) {
        return views.compression(id);
    }

    @GET
    @Path("{id}/study")
    @Operation(summary = "The quantization study's variants: linear bytes, compression and perplexity of each (409 until scored)")
    public StudyChart study(@PathParam("id") String id) {
        return views.study(id);
    }

    @GET
    @Path("{id}/methods")
    @Operation(summary = "The methods study: perplexity against parameter budget for svd, whitened and feature, with "
            + "the mean activation and weight errors, and the base perplexity (409 until scored)")
    public MethodsChart methods(@PathParam("id") String id) {
        return views.methods(id);
    }

    @GET
    @Path("{id}/output")
    @Operation(summary = "The files of a succeeded job's output model folder")
    public OutputListing output(@PathParam("id") String id) {
        return views.output(id, config.artifacts());
    }

    private static EsdScale scale(String given) {
        return switch (given) {
            case "singular" -> EsdScale.SINGULAR_VALUES;
            case "squared" -> EsdScale.SQUARED;
            default -> throw new ContractException("scale must be singular or squared, got " + Quoted.of(given), "scale");
        };
    }
}
