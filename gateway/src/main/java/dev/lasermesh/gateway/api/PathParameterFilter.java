package dev.lasermesh.gateway.api;

import dev.lasermesh.contracts.job.ErrorBody;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;

/**
 * Answers a request whose path parameter (a job id, a tensor name) holds a NUL character ({@code %00})
 * with 400 naming the parameter. No stored id or name can hold one — PostgreSQL's text cannot — and a
 * query that carries one fails in the database instead of finding nothing.
 */
@Provider
public class PathParameterFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        for (Map.Entry<String, List<String>> parameter : request.getUriInfo().getPathParameters(true).entrySet()) {
            if (parameter.getValue().stream().anyMatch(v -> v.indexOf('\0') >= 0)) {
                request.abortWith(Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                        .entity(new ErrorBody("path parameter " + parameter.getKey()
                                + " holds a NUL character (%00), which no job id or tensor name has", parameter.getKey()))
                        .build());
                return;
            }
        }
    }
}
