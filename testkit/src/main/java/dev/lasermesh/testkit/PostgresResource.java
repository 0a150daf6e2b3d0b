package dev.lasermesh.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts a {@link PostgresServer} for a Quarkus test and points the application's default datasource at its
 * fresh database ({@code @WithTestResource(PostgresResource.class)}). A field of type {@link PostgresServer} in
 * the test is injected.
 */
public final class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private PostgresServer postgres;

    @Override
    public Map<String, String> start() {
        postgres = PostgresServer.start();
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password(),
                "quarkus.datasource.devservices.enabled", "false");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(postgres, new TestInjector.MatchesType(PostgresServer.class));
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
