package dev.lasermesh.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings read back through SmallRye Config as the gateway reads them: lists of folders survive commas. */
class ServerSettingsTest {

    @Test
    void foldersAndTheRestReadBackAsGiven() {
        List<Path> models = List.of(Path.of("/srv/models"), Path.of("/home/a,b/models"));
        ServerSettings settings = new ServerSettings("127.0.0.1", 8081, "jdbc:postgresql://localhost:5/postgres",
                "postgres", models, List.of(Path.of("/srv/data")), Path.of("/srv/artifacts"), "k3y", "r3ad");
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(settings.properties(), "serve", 400)).build();
        assertEquals(models, config.getValues("lasermesh.model-roots", Path.class));
        assertEquals(List.of(Path.of("/srv/data")), config.getValues("lasermesh.data-roots", Path.class));
        assertEquals(Path.of("/srv/artifacts"), config.getValue("lasermesh.artifacts", Path.class));
        assertEquals(8081, config.getValue("quarkus.http.port", Integer.class));
        assertEquals("k3y", config.getValue("lasermesh.api-key", String.class));
        assertEquals("r3ad", config.getValue("lasermesh.read-key", String.class));
        assertEquals("jdbc:postgresql://localhost:5/postgres", config.getValue("quarkus.datasource.jdbc.url", String.class));
    }
}
