package dev.lasermesh.core.gguf;

import java.util.function.Supplier;

/**
 * One tensor of a GGUF file: its name, type and shape, and its data in ggml's layout, produced when
 * the writer reaches it (so a model is written one tensor at a time).
 *
 * @param name  the llama.cpp tensor name ({@code blk.0.attn_q.weight})
 * @param type  the ggml type
 * @param ne    the dimensions fastest-first: {ne0 = row length (in_features), ne1 = rows}, or {n} for a vector
 * @param data  the bytes, exactly {@link #byteSize()} of them
 */
public record GgufTensor(String name, GgmlType type, long[] ne, Supplier<byte[]> data) {

    public GgufTensor {
        ne = ne.clone();
    }

    @Override
    public long[] ne() {
        return ne.clone();
    }

    /** Bytes of the data. */
    public long byteSize() {
        long rows = 1;
        for (int i = 1; i < ne.length; i++) {
            rows *= ne[i];
        }
        return type.bytes(rows, ne[0]);
    }
}
