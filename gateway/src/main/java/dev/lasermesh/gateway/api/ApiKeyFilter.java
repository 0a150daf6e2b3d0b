package dev.lasermesh.gateway.api;

import dev.lasermesh.contracts.job.ErrorBody;
import dev.lasermesh.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Refuses a request to an {@link ApiKeyRequired} endpoint with 401 and an error body unless its
 * {@code X-API-Key} header equals {@code lasermesh.api-key} (compared in constant time).
 */
@Provider
@ApiKeyRequired
public class ApiKeyFilter implements ContainerRequestFilter {

    /** The header that carries the key. */
    public static final String HEADER = "X-API-Key";

    /** Looked up per request: providers are built before the runtime configuration is available. */
    private final jakarta.inject.Provider<GatewayConfig> config;

    @Inject
    public ApiKeyFilter(jakarta.inject.Provider<GatewayConfig> config) {
        this.config = config;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String given = request.getHeaderString(HEADER);
        if (!matches(config.get().apiKey(), given)) {
            String error = given == null ? "this request changes state and needs the API key in the " + HEADER + " header"
                    : "the " + HEADER + " header does not hold the API key";
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                    .entity(new ErrorBody(error, null)).build());
        }
    }

    /** Whether {@code given} (null when none was sent) is {@code key}, compared in constant time. */
    static boolean matches(String key, String given) {
        return given != null && MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
