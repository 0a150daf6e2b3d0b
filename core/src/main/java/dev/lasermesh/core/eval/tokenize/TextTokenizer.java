package dev.lasermesh.core.eval.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face {@code tokenizer.json} run by the Rust {@code tokenizers} library (through DJL), so
 * ids match what transformers' fast tokenizers produce.
 *
 * <p>Texts are encoded whole, without truncation (DJL would otherwise cut at {@code model_max_length})
 * and without special tokens: the perplexity protocols add BOS themselves, exactly where they define
 * it, whatever the tokenizer's post-processor would add.
 */
public final class TextTokenizer implements AutoCloseable {

    /** The file name the Hugging Face layout uses. */
    public static final String FILE_NAME = "tokenizer.json";

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;

    private TextTokenizer(Path file, HuggingFaceTokenizer tokenizer) {
        this.file = file;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads {@code tokenizer.json} from a model folder, or the given file.
     *
     * @throws TokenizerException naming the file when it is missing or not a valid tokenizer
     */
    public static TextTokenizer load(Path modelDirOrFile) {
        Path file = Files.isDirectory(modelDirOrFile) ? modelDirOrFile.resolve(FILE_NAME) : modelDirOrFile;
        if (!Files.isRegularFile(file)) {
            throw new TokenizerException(file + ": tokenizer file not found (a Hugging Face model folder needs "
                    + FILE_NAME + ")");
        }
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
            return new TextTokenizer(file, t);
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot be read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new TokenizerException(file + ": not a valid Hugging Face tokenizer (" + firstLine(e) + ")", e);
        }
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Token ids of {@code text}, no special tokens added, never truncated. */
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** The text of {@code ids} (special tokens kept), the inverse of {@link #encode} for byte-level BPE. */
    public String decode(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        return tokenizer.decode(wide, false);
    }

    /** The file this tokenizer was loaded from. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
