package dev.lasermesh.core.gguf;

import dev.lasermesh.core.tensor.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a GGUF version 3 file (ggml's {@code docs/gguf.md}), little-endian: magic {@code GGUF},
 * version, tensor count, key–value count, the key–value pairs, the tensor infos (name, dimensions
 * fastest-first, ggml type, offset into the data section), padding to the alignment, then each
 * tensor's data at its offset, every offset a multiple of {@value #ALIGNMENT} (the default
 * {@code general.alignment}). Strings are a u64 byte length and UTF-8 bytes. The file is written to a
 * temporary name and renamed; tensors are produced one at a time.
 */
public final class GgufWriter {

    /** Data alignment (llama.cpp's default, {@code GGUF_DEFAULT_ALIGNMENT}). */
    public static final int ALIGNMENT = 32;
    private static final int VERSION = 3;

    private GgufWriter() {
    }

    /** Writes {@code tensors} with {@code metadata} to {@code target}; returns the file size. */
    public static long write(Path target, GgufMetadata metadata, List<GgufTensor> tensors) {
        Buffer head = new Buffer();
        head.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        head.u32(VERSION);
        head.u64(tensors.size());
        head.u64(metadata.entries().size());
        for (GgufMetadata.Entry e : metadata.entries()) {
            head.string(e.key());
            head.u32(e.type());
            if (e.type() == GgufMetadata.ARRAY) {
                List<?> values = (List<?>) e.value();
                head.u32(e.elementType());
                head.u64(values.size());
                values.forEach(v -> head.value(e.elementType(), v));
            } else {
                head.value(e.type(), e.value());
            }
        }
        long offset = 0;
        for (GgufTensor t : tensors) {
            head.string(t.name());
            long[] ne = t.ne();
            head.u32(ne.length);
            for (long n : ne) {
                head.u64(n);
            }
            head.u32(t.type().id());
            head.u64(offset);
            offset = aligned(offset + t.byteSize());
        }
        head.pad();
        long total = head.size() + offset;
        try {
            AtomicFiles.write(target, channel -> {
                writeFully(channel, head.toByteBuffer());
                for (GgufTensor t : tensors) {
                    byte[] data = t.data().get();
                    if (data.length != t.byteSize()) {
                        throw new IllegalStateException(t.name() + ": " + data.length + " bytes, expected " + t.byteSize());
                    }
                    writeFully(channel, ByteBuffer.wrap(data));
                    writeFully(channel, ByteBuffer.allocate((int) (aligned(data.length) - data.length)));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot write the GGUF file (" + e.getMessage() + ")", e);
        }
        return total;
    }

    private static long aligned(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** A growing little-endian buffer for the header. */
    private static final class Buffer {
        private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void ensure(int more) {
            if (buffer.remaining() < more) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more))
                        .order(ByteOrder.LITTLE_ENDIAN);
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
        }

        void bytes(byte[] b) {
            ensure(b.length);
            buffer.put(b);
        }

        void u32(int v) {
            ensure(4);
            buffer.putInt(v);
        }

        void u64(long v) {
            ensure(8);
            buffer.putLong(v);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void value(int type, Object v) {
            switch (type) {
                case GgufMetadata.UINT32, GgufMetadata.INT32 -> u32((Integer) v);
                case GgufMetadata.FLOAT32 -> {
                    ensure(4);
                    buffer.putFloat((Float) v);
                }
                case GgufMetadata.BOOL -> {
                    ensure(1);
                    buffer.put((byte) ((Boolean) v ? 1 : 0));
                }
                case GgufMetadata.STRING -> string((String) v);
                default -> throw new IllegalArgumentException("GGUF value type " + type + " is not written here");
            }
        }

        void pad() {
            int padding = (int) (aligned(buffer.position()) - buffer.position());
            bytes(new byte[padding]);
        }

        long size() {
            return buffer.position();
        }

        ByteBuffer toByteBuffer() {
            return ByteBuffer.wrap(buffer.array(), 0, buffer.position());
        }
    }
}
