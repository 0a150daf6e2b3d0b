package dev.lasermesh.gateway.config;

import dev.lasermesh.contracts.job.JobSpecValidator;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.gateway.job.JobPlanner;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Beans built from the configuration. */
public class GatewayBeans {

    /** The model and data roots (the start fails when a root is not a folder). */
    @Produces
    @Singleton
    InputRoots roots(GatewayConfig config) {
        return new InputRoots(new PathRoots("model", config.modelRoots()), new PathRoots("data", config.dataRoots()));
    }

    /** Checks job specs, and what the submit form offers, against the roots. */
    @Produces
    @Singleton
    JobSpecValidator validator(InputRoots roots) {
        return new JobSpecValidator(roots.models(), roots.data());
    }

    /** Plans jobs against the configured model and data roots. */
    @Produces
    @Singleton
    JobPlanner planner(JobSpecValidator validator) {
        return new JobPlanner(validator);
    }
}
