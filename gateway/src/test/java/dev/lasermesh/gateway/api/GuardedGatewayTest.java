package dev.lasermesh.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.lasermesh.testkit.KafkaResource;
import dev.lasermesh.testkit.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gateway exposed beyond trusted clients ({@link GuardedProfile}): every read of the API needs the read
 * key (or the API key), in the header or the dashboard's cookie, while health and the static pages stay
 * open; and a model folder that reaches out of the model roots through a link is neither accepted nor
 * offered, and its file's content never shows in the answer.
 */
@QuarkusTest
@TestProfile(GuardedProfile.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class GuardedGatewayTest {

    private static final String JOB = "/api/v1/jobs/j-ffffffffffffffff";

    @Test
    void everyReadNeedsTheReadKeyOrTheApiKey() {
        for (String path : List.of("/api/v1/jobs", "/api/v1/inputs", "/api/v1/jobs/events", JOB, JOB + "/events",
                JOB + "/matrices", JOB + "/matrices/t", JOB + "/matrices/t/spectrum", JOB + "/candidates",
                JOB + "/report", JOB + "/compression", JOB + "/output")) {
            given().get(path).then().statusCode(401).contentType(ContentType.JSON)
                    .body("error", containsString("needs the read key"));
            given().header(ApiKeyFilter.HEADER, "wrong").get(path).then().statusCode(401)
                    .body("error", containsString("neither the read key nor the API key"));
        }
        given().header(ApiKeyFilter.HEADER, GuardedProfile.READ_KEY).get("/api/v1/jobs").then().statusCode(200);
        given().header(ApiKeyFilter.HEADER, "dev").get("/api/v1/jobs").then().statusCode(200);
        given().cookie(ReadKeyFilter.COOKIE, GuardedProfile.READ_KEY).get("/api/v1/inputs").then().statusCode(200);
        given().header(ApiKeyFilter.HEADER, GuardedProfile.READ_KEY).get(JOB).then().statusCode(404);
        given().header(ApiKeyFilter.HEADER, GuardedProfile.READ_KEY).contentType(ContentType.JSON)
                .body("{\"version\": 1, \"model\": \"tiny\"}").post("/api/v1/jobs").then().statusCode(401)
                .body("error", containsString("does not hold the API key"));
        given().cookie(ReadKeyFilter.COOKIE, "dev").post(JOB + "/cancel").then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/").then().statusCode(200);
    }

    @Test
    void modelsThatLinkOutOfTheRootsAreRefusedAndNotOffered() {
        submit("linked").body("error", containsString("model linked: model.safetensors is outside the configured "
                + "model roots"));
        submit("escape").body("error", containsString("outside the configured model roots"));
        submit("secret-config").body("error", containsString("config.json is outside the configured model roots"))
                .body("error", not(containsString("Loomings")));
        given().header(ApiKeyFilter.HEADER, GuardedProfile.READ_KEY).get("/api/v1/inputs").then().statusCode(200)
                .body("models", equalTo(List.of("tiny")));
    }

    private static ValidatableResponse submit(String model) {
        return given().header(ApiKeyFilter.HEADER, "dev").contentType(ContentType.JSON)
                .body("{\"version\": 1, \"model\": \"" + model + "\"}").post("/api/v1/jobs").then().statusCode(400)
                .contentType(ContentType.JSON).body("field", equalTo("model"));
    }
}
