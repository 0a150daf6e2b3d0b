package dev.lasermesh.core.eval.forward;

/**
 * Token sequences processed together: their rows are stacked ("packed", no padding), so each linear
 * layer is one matrix product over all tokens of the batch while attention stays within each sequence
 * — the same numbers as a padded batch with an attention mask, without computing the padding.
 *
 * @param sequences token ids of each sequence
 * @param offsets   first row of each sequence, and the total row count at the end
 */
public record EncoderBatch(int[][] sequences, int[] offsets) {

    /** A batch of the given sequences. */
    public static EncoderBatch of(int[][] sequences) {
        int[] offsets = new int[sequences.length + 1];
        for (int i = 0; i < sequences.length; i++) {
            if (sequences[i].length == 0) {
                throw new IllegalArgumentException("sequence " + i + " of a batch is empty");
            }
            offsets[i + 1] = offsets[i] + sequences[i].length;
        }
        return new EncoderBatch(sequences, offsets);
    }

    /** Tokens of all sequences. */
    public int rows() {
        return offsets[sequences.length];
    }

    public int size() {
        return sequences.length;
    }

    /** The longest sequence. */
    public int maxLength() {
        int max = 0;
        for (int[] s : sequences) {
            max = Math.max(max, s.length);
        }
        return max;
    }
}
