package dev.lasermesh.core.eval.task;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.JsonSyntax;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One split of a classification task: a JSON Lines file with one {@code {"text": …, "label": …}}
 * object per line, in file order (the order ties are broken by).
 *
 * @param file   where it was read from, for messages
 * @param texts  the texts
 * @param labels the label of each text
 */
public record LabeledTexts(Path file, List<String> texts, List<String> labels) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public LabeledTexts {
        texts = List.copyOf(texts);
        labels = List.copyOf(labels);
    }

    /**
     * Reads a split. A final line break is allowed; blank lines are not.
     *
     * @throws InvalidInputException naming the file (and line) when it is missing, unreadable, empty, or
     *                               a line is not an object with a string {@code text} and a non-empty
     *                               string {@code label}
     */
    public static LabeledTexts read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": task file not found");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String where = file + " line " + (i + 1);
            if (lines.get(i).isBlank()) {
                throw new InvalidInputException(where + ": blank line (one JSON object per line expected)");
            }
            JsonNode node;
            try {
                node = JSON.readTree(lines.get(i));
            } catch (JacksonException e) {
                throw new InvalidInputException(where + ": not valid JSON (" + JsonSyntax.problem(e) + ")");
            }
            if (node == null || !node.isObject()) {
                throw new InvalidInputException(where + ": not a JSON object");
            }
            JsonNode text = node.get("text");
            JsonNode label = node.get("label");
            if (text == null || !text.isTextual()) {
                throw new InvalidInputException(where + ": field \"text\" is missing or not a string");
            }
            if (label == null || !label.isTextual() || label.asText().isEmpty()) {
                throw new InvalidInputException(where + ": field \"label\" is missing or not a non-empty string");
            }
            texts.add(text.asText());
            labels.add(label.asText());
        }
        if (texts.isEmpty()) {
            throw new InvalidInputException(file + ": the split is empty (no examples)");
        }
        return new LabeledTexts(file, texts, labels);
    }

    public int size() {
        return texts.size();
    }
}
