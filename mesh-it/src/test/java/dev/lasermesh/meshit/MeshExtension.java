package dev.lasermesh.meshit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Hands every test class the one {@link Mesh} of the test run: started on first use (gateway, one
 * analyzer, {@value #REDUCERS} reducers, {@value #EVALUATORS} evaluators), stopped when the run ends
 * (the root context's store closes it). Starting the mesh once keeps the module's time down; each test
 * leaves it as it found it. A failed test gets the tail of every service's log printed.
 */
final class MeshExtension implements ParameterResolver, TestWatcher {

    static final int REDUCERS = 2;
    static final int EVALUATORS = 2;

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MeshExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Mesh.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(Mesh.class,
                key -> Mesh.start(REDUCERS, EVALUATORS), Mesh.class);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Mesh mesh = context.getRoot().getStore(NAMESPACE).get(Mesh.class, Mesh.class);
        if (mesh != null) {
            System.out.println("==== " + context.getDisplayName() + " failed; the services' logs end with:"
                    + mesh.logTails());
        }
    }
}
