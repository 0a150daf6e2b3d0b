package dev.lasermesh.gateway.api;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.job.ErrorBody;
import dev.lasermesh.gateway.job.JobConflictException;
import dev.lasermesh.gateway.job.JobNotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every 4xx answer carries an {@link ErrorBody}: one line, and the field at fault when there is one. */
public class ErrorMappers {

    /** A malformed or invalid request body: 400 naming the field. */
    @ServerExceptionMapper
    public Response badRequest(ContractException e) {
        return answer(Response.Status.BAD_REQUEST, ErrorBody.of(e));
    }

    /** An unknown job or matrix: 404. */
    @ServerExceptionMapper
    public Response notFound(JobNotFoundException e) {
        return answer(Response.Status.NOT_FOUND, new ErrorBody(e.getMessage(), null));
    }

    /** A request the job's state does not allow: 409. */
    @ServerExceptionMapper
    public Response conflict(JobConflictException e) {
        return answer(Response.Status.CONFLICT, new ErrorBody(e.getMessage(), null));
    }

    private static Response answer(Response.Status status, ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
