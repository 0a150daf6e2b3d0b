package dev.lasermesh.core.eval.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face {@code tokenizer.json} run by the Rust {@code tokenizers} library (through DJL), so
 * ids match what transformers' fast tokenizers produce.
 *
 * <p>Texts are encoded whole, without truncation (DJL would otherwise cut at {@code model_max_length})
 * and without special tokens: the perplexity protocols add BOS themselves, exactly where they define
 * it, whatever the tokenizer's post-processor would add. A tokenizer for sentence embeddings
 * ({@link #loadForSentences}) instead applies the post-processor ({@code [CLS] … [SEP]} for BERT) and
 * truncates as sentence-transformers does.
 */
public final class TextTokenizer implements AutoCloseable {

    /** The file name the Hugging Face layout uses. */
    public static final String FILE_NAME = "tokenizer.json";

    private static final Pattern PARSER_POSITION = Pattern.compile("at line (\\d+) column (\\d+)");

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean specialTokens;

    private TextTokenizer(Path file, HuggingFaceTokenizer tokenizer, boolean specialTokens) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.specialTokens = specialTokens;
    }

    /**
     * Loads {@code tokenizer.json} from a model folder, or the given file.
     *
     * @throws TokenizerException naming the file when it is missing or not a valid tokenizer
     */
    public static TextTokenizer load(Path modelDirOrFile) {
        return load(modelDirOrFile, HuggingFaceTokenizer.builder().optAddSpecialTokens(false).optTruncation(false),
                false);
    }

    /**
     * Loads {@code tokenizer.json} for sentence embeddings: the tokenizer's special tokens added
     * ({@code [CLS] text [SEP]}), the result truncated to {@code maxTokens} ids, special tokens
     * included (the text is cut, never the special tokens; a long text is never an error).
     *
     * @throws TokenizerException naming the file when it is missing or not a valid tokenizer
     */
    public static TextTokenizer loadForSentences(Path modelDirOrFile, int maxTokens) {
        return load(modelDirOrFile, HuggingFaceTokenizer.builder().optAddSpecialTokens(true).optTruncation(true)
                .optMaxLength(maxTokens), true);
    }

    private static TextTokenizer load(Path modelDirOrFile, HuggingFaceTokenizer.Builder builder,
                                      boolean specialTokens) {
        Path file = Files.isDirectory(modelDirOrFile) ? modelDirOrFile.resolve(FILE_NAME) : modelDirOrFile;
        if (!Files.isRegularFile(file)) {
            throw new TokenizerException(file + ": tokenizer file not found (a Hugging Face model folder needs "
                    + FILE_NAME + ")");
        }
        try {
            HuggingFaceTokenizer t = builder.optTokenizerPath(file).optPadding(false).build();
            return new TextTokenizer(file, t, specialTokens);
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot be read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new TokenizerException(file + ": not a valid Hugging Face tokenizer" + where(e), e);
        }
    }

    /**
     * Where the library's parser stopped, and nothing else of its message: it quotes values of the file
     * ({@code invalid type: string "..."}), and error messages never echo file contents (DESIGN §5).
     */
    private static String where(Throwable e) {
        Matcher at = PARSER_POSITION.matcher(String.valueOf(e.getMessage()));
        return at.find() ? " (it stops parsing at line " + at.group(1) + ", column " + at.group(2) + ")" : "";
    }

    /**
     * Token ids of {@code text}: no special tokens added, never truncated — or, for a sentence
     * tokenizer, with special tokens and truncated.
     */
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, specialTokens, false).getIds();
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
