package dev.lasermesh.gateway.config;

import dev.lasermesh.contracts.job.JobSpecValidator;
import dev.lasermesh.gateway.job.JobPlanner;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Beans built from the configuration. */
public class GatewayBeans {

    /** Plans jobs against the configured model and data roots (the start fails when a root is not a folder). */
    @Produces
    @Singleton
    JobPlanner planner(GatewayConfig config) {
        return new JobPlanner(new JobSpecValidator(config.modelRoots(), config.dataRoots()));
    }
}
