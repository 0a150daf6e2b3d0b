package dev.lasermesh.core.eval;

import dev.lasermesh.core.eval.perplexity.TokenizedText;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads an evaluation text file (strict UTF-8, line endings kept as they are) and tokenizes it whole. */
public final class EvaluationText {

    private EvaluationText() {
    }

    /**
     * The token ids of a text file.
     *
     * @throws EvalInputException naming the file when it is missing, unreadable, not UTF-8 or empty
     */
    public static TokenizedText read(Path file, TextTokenizer tokenizer) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new EvalInputException(file + ": text file not found");
        } catch (CharacterCodingException e) {
            throw new EvalInputException(file + ": text file is not valid UTF-8");
        } catch (IOException e) {
            throw new EvalInputException(file + ": text file cannot be read (" + e.getMessage() + ")", e);
        }
        if (text.isEmpty()) {
            throw new EvalInputException(file + ": text file is empty");
        }
        return new TokenizedText(file.toString(), tokenizer.encode(text));
    }
}
