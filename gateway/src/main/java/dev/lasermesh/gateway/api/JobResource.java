package dev.lasermesh.gateway.api;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.JobEvent;
import dev.lasermesh.contracts.job.JobSpec;
import dev.lasermesh.contracts.job.JobStatus;
import dev.lasermesh.contracts.job.JobView;
import dev.lasermesh.contracts.job.MatrixView;
import dev.lasermesh.contracts.job.SpecLimits;
import dev.lasermesh.core.reduce.ReducedModelWriter;
import dev.lasermesh.core.search.TraceEntry;
import dev.lasermesh.gateway.config.GatewayConfig;
import dev.lasermesh.gateway.job.JobNotFoundException;
import dev.lasermesh.gateway.job.JobPlanner;
import dev.lasermesh.gateway.job.JobStore;
import dev.lasermesh.gateway.job.JobViews;
import dev.lasermesh.gateway.outbox.JobEventHub;
import dev.lasermesh.gateway.store.JobEntity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The job API ({@code /api/v1/jobs}; docs/contracts.md "REST"). Reads are open unless a read key is
 * configured ({@link ReadKeyFilter}); submitting and cancelling need the API key. Every 4xx answer is an
 * error body naming the field (or query parameter) at fault.
 */
@Path("/api/v1/jobs")
@ReadKeyRequired
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    /** Jobs listed when the request does not say. */
    static final int DEFAULT_LIMIT = 100;
    /** Most jobs listed at once. */
    static final int MAX_LIMIT = 1000;

    private final JobPlanner planner;
    private final JobStore store;
    private final JobViews views;
    private final JobEventHub hub;
    private final GatewayConfig config;

    @Inject
    public JobResource(JobPlanner planner, JobStore store, JobViews views, JobEventHub hub, GatewayConfig config) {
        this.planner = planner;
        this.store = store;
        this.views = views;
        this.hub = hub;
        this.config = config;
    }

    /**
     * Submits a job. The body is read with the contract's reader, so a malformed document, a value of
     * the wrong type and an unknown field are answered like any invalid field: 400 naming it; so is a
     * document beyond {@link SpecLimits#MAX_DOCUMENT_CHARS}, before it is parsed. The job is planned
     * completely (validated, its matrices selected, its evaluation windows counted) before anything is
     * stored.
     */
    @POST
    @ApiKeyRequired
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "Validates the job spec, stores the job and sends its analysis tasks.")
    @RequestBody(content = @Content(schema = @Schema(implementation = JobSpec.class)))
    public Response submit(String body) {
        if (body != null && body.length() > SpecLimits.MAX_DOCUMENT_CHARS) {
            throw new ContractException("the job spec is " + body.length() + " characters long; at most "
                    + SpecLimits.MAX_DOCUMENT_CHARS + " are accepted", null);
        }
        JobSpec spec = Json.read(body, JobSpec.class);
        JobEntity job = store.create(planner.plan(spec));
        return Response.created(URI.create("/api/v1/jobs/" + job.id)).entity(views.job(job.id)).build();
    }

    @GET
    @Operation(summary = "List jobs", description = "Newest first; optionally only those in one status. limit: 1 to 1000 (default 100).")
    public List<JobView> list(@QueryParam("status") String status, @QueryParam("limit") String limit) {
        return views.jobs(QueryParameters.constant(status, "status", JobStatus.class),
                QueryParameters.integer(limit, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    /** Every job's events from now on, as server-sent events (the dashboard's feed). */
    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Events of all jobs", description = "Server-sent events, as published on lasermesh.job-events.")
    public Multi<JobEvent> events() {
        return hub.all();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A job: status, progress per stage, timings, errors, perplexities, output")
    public JobView job(@PathParam("id") String id) {
        return views.job(id);
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Events of one job", description = "Server-sent events from now on; 404 for an unknown job.")
    @Blocking
    public Multi<JobEvent> jobEvents(@PathParam("id") String id) {
        views.job(id);
        return hub.ofJob(id);
    }

    @GET
    @Path("{id}/matrices")
    @Operation(summary = "The job's matrices: spectrum summary and rank decision, reduction once written")
    public List<MatrixView> matrices(@PathParam("id") String id) {
        return views.matrices(id);
    }

    @GET
    @Path("{id}/matrices/{tensor}")
    @Operation(summary = "One matrix of the job")
    public MatrixView matrix(@PathParam("id") String id, @PathParam("tensor") String tensor) {
        return views.matrix(id, tensor);
    }

    @GET
    @Path("{id}/candidates")
    @Operation(summary = "The search trace", description = "The search's decisions so far, in order.")
    public List<TraceEntry> candidates(@PathParam("id") String id) {
        return views.candidates(id);
    }

    /**
     * The {@code lasermesh-report.json} of a succeeded job, as written next to its output model; for a job
     * that ends with its study's table (a LoRA study, a quantization study with given ranks), that table.
     */
    @GET
    @Path("{id}/report")
    @Operation(summary = "The job's lasermesh-report.json", description = "Once the job succeeded; the study's table "
            + "for a job that ends with it.")
    public Response report(@PathParam("id") String id) throws java.io.IOException {
        String output = views.output(id);
        if (output == null) {
            return Response.ok(views.studyTable(id), MediaType.APPLICATION_JSON).build();
        }
        java.nio.file.Path file = config.artifacts().resolve(output).resolve(ReducedModelWriter.REPORT_FILE);
        if (!Files.isRegularFile(file)) {
            throw new JobNotFoundException("job " + id + ": the report file is missing from the artifact store");
        }
        return Response.ok(Files.readAllBytes(file), MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Path("{id}/cancel")
    @ApiKeyRequired
    @Operation(summary = "Cancel a job", description = "No further task is sent; results still in flight are ignored.")
    public JobView cancel(@PathParam("id") String id) {
        store.cancel(id).orElseThrow(() -> new JobNotFoundException("no job " + id));
        return views.job(id);
    }
}
