package dev.lasermesh.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lasermesh.contracts.job.JobEvent;
import dev.lasermesh.contracts.task.ReductionTask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every record written by {@link Json} reads back equal, as text and as Kafka bytes. */
class RoundTripTest {

    @Test
    void everyMessageRoundTripsAsTextAndAsBytes() {
        for (Message message : Samples.messages()) {
            String json = Json.write(message);
            assertEquals(message, Json.read(json, message.getClass()), json);
            assertEquals(message, Json.read(Json.writeBytes(message), message.getClass()), json);
            assertTrue(json.startsWith("{\"version\":1,"), json);
        }
    }

    @Test
    void everyRestBodyRoundTrips() {
        for (Object body : Samples.restBodies()) {
            String json = Json.write(body);
            assertEquals(body, Json.read(json, body.getClass()), json);
        }
    }

    @Test
    void eachMessageTravelsOnTheTopicOfItsTypeKeyedByTaskOrJob() {
        Set<Class<?>> seen = new HashSet<>();
        for (Message message : Samples.messages()) {
            assertSame(message.getClass(), Topics.MESSAGE_TYPES.get(message.topic()), message.topic());
            seen.add(message.getClass());
            String expectedKey = message instanceof JobEvent ? message.jobId() : taskIdOf(message);
            assertEquals(expectedKey, message.key());
        }
        assertEquals(Set.copyOf(Topics.MESSAGE_TYPES.values()), seen, "the samples cover every topic");
        assertEquals(List.of("lasermesh.analysis-tasks", "lasermesh.analysis-results", "lasermesh.reduction-tasks",
                "lasermesh.reduction-results", "lasermesh.evaluation-tasks", "lasermesh.evaluation-results",
                "lasermesh.job-events"), new ArrayList<>(Topics.MESSAGE_TYPES.keySet()));
    }

    @Test
    void nonFiniteNumbersTravelAsStringsAndNullsAreLeftOut() {
        String json = Json.write(Samples.spectrum());
        assertTrue(json.contains("\"snr\":\"Infinity\""), json);
        assertFalse(json.contains("null"), "the fraction decision has no threshold, which is left out: " + json);
        String trace = Json.write(Samples.trace());
        assertTrue(trace.contains("\"snr\":\"NaN\"") && trace.contains("\"perplexity\":\"Infinity\""), trace);
    }

    @Test
    void derivedAccessorsAreNotJsonFields() {
        for (Message message : Samples.messages()) {
            String json = Json.write(message);
            List<String> derived = new ArrayList<>(List.of("succeeded", "topic", "key", "moduleType", "byteLength"));
            if (!(message instanceof ReductionTask)) {
                derived.add("form");
            }
            for (String name : derived) {
                assertFalse(json.contains("\"" + name + "\""), name + " is not a JSON field: " + json);
            }
        }
    }

    private static String taskIdOf(Message message) {
        return Json.read(Json.write(message), com.fasterxml.jackson.databind.JsonNode.class).get("taskId").asText();
    }
}
