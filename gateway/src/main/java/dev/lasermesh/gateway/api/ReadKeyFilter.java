package dev.lasermesh.gateway.api;

import dev.lasermesh.contracts.job.ErrorBody;
import dev.lasermesh.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Refuses a read ({@code GET}) of a {@link ReadKeyRequired} resource with 401 and an error body when
 * {@code lasermesh.read-key} is set and the request carries neither it nor the API key: in the
 * {@code X-API-Key} header, or in the cookie {@value #COOKIE} that the dashboard sets (a browser's event
 * streams and links cannot send headers). Writes are the {@link ApiKeyFilter}'s, which reads the header
 * only, so a cookie never authorises a change.
 */
@Provider
@ReadKeyRequired
public class ReadKeyFilter implements ContainerRequestFilter {

    /** The dashboard's cookie with the key the user entered (URL-encoded). */
    public static final String COOKIE = "lasermesh-key";

    /** Looked up per request: providers are built before the runtime configuration is available. */
    private final jakarta.inject.Provider<GatewayConfig> config;

    @Inject
    public ReadKeyFilter(jakarta.inject.Provider<GatewayConfig> config) {
        this.config = config;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<String> readKey = config.get().readKey();
        String method = request.getMethod();
        if (readKey.isEmpty() || !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))) {
            return;
        }
        String given = given(request);
        if (!ApiKeyFilter.matches(readKey.get(), given) && !ApiKeyFilter.matches(config.get().apiKey(), given)) {
            String error = given == null ? "reading needs the read key in the " + ApiKeyFilter.HEADER
                    + " header (in the dashboard: enter it as the API key and reload)"
                    : "the key sent is neither the read key nor the API key";
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                    .entity(new ErrorBody(error, null)).build());
        }
    }

    private static String given(ContainerRequestContext request) {
        String header = request.getHeaderString(ApiKeyFilter.HEADER);
        if (header != null) {
            return header;
        }
        Cookie cookie = request.getCookies().get(COOKIE);
        return cookie == null ? null : URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
    }
}
