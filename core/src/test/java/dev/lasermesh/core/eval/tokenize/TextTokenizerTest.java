package dev.lasermesh.core.eval.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lasermesh.core.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token ids against tiny-llama/reference.json, computed there by the Hugging Face tokenizers library. */
class TextTokenizerTest {

    private static final JsonNode REF = Fixtures.json("tiny-llama/reference.json");

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @Test
    void reproducesTheReferenceIdsOfTheFirst300CharactersAndDecodesBack() {
        try (TextTokenizer t = TextTokenizer.load(Fixtures.path("tiny-llama"))) {
            String text = REF.at("/tokenization/text").asText();
            int[] ids = t.encode(text);
            assertArrayEquals(ints(REF.at("/tokenization/ids")), ids);
            assertEquals(text, t.decode(ids));
        }
    }

    @Test
    void wholeTextGivesTheReferenceTokenCountAndEvalIdsWithoutTruncation() throws IOException {
        String text = Files.readString(Fixtures.path("text/sotu-2009-2021.txt"));
        try (TextTokenizer t = TextTokenizer.load(Fixtures.path("tiny-llama/tokenizer.json"))) {
            int[] ids = t.encode(text);
            assertEquals(REF.get("text_total_tokens").asInt(), ids.length);
            assertArrayEquals(ints(REF.get("eval_token_ids")), Arrays.copyOf(ids, REF.get("eval_tokens").asInt()));
            assertEquals(text, t.decode(ids));
        }
    }

    @Test
    void missingTokenizerIsReportedWithItsPath(@TempDir Path dir) {
        TokenizerException e = assertThrows(TokenizerException.class, () -> TextTokenizer.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void malformedJsonIsReportedWithItsPath(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", ");
        TokenizerException e = assertThrows(TokenizerException.class, () -> TextTokenizer.load(file));
        assertTrue(e.getMessage().startsWith(file + ": not a valid Hugging Face tokenizer"), e.getMessage());
    }

    @Test
    void jsonThatIsNotATokenizerIsRejected(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), "{\"vocab_size\": 12}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> TextTokenizer.load(file));
        assertTrue(e.getMessage().startsWith(file + ": not a valid Hugging Face tokenizer"), e.getMessage());
    }

    /** The tokenizers library quotes what it could not parse; a file that is no tokenizer keeps its words. */
    @Test
    void aFileThatIsNoTokenizerIsNamedWithoutQuotingIt(@TempDir Path dir) throws IOException {
        for (String content : new String[] {"root:s3cret:19000:0:99999:7:::", "{\"model\": {\"type\": \"s3cret\"}}",
                "{\"version\": \"1.0\", \"normalizer\": {\"type\": \"s3cret\"}, \"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}",
                "{\"version\": \"1.0\", \"added_tokens\": [{\"id\": \"s3cret\"}], \"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}"}) {
            Path file = Files.writeString(dir.resolve("tokenizer.json"), content);
            TokenizerException e = assertThrows(TokenizerException.class, () -> TextTokenizer.load(file));
            assertTrue(e.getMessage().startsWith(file + ": not a valid Hugging Face tokenizer"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }
}
