package dev.lasermesh.gateway.leader;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says in {@code /q/health/ready} whether this gateway leads ({@link Leadership}). A follower is as ready
 * as the leader — it serves the API and takes results — so the check is up either way; the
 * {@code leads} field tells an operator which gateway publishes the outbox and assembles outputs.
 */
@Readiness
@ApplicationScoped
public class LeadershipCheck implements HealthCheck {

    private final Leadership leadership;

    @Inject
    public LeadershipCheck(Leadership leadership) {
        this.leadership = leadership;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("leadership").up().withData("leads", leadership.leads()).build();
    }
}
