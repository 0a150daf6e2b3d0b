package dev.lasermesh.core.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one safetensors file, streaming: tensors are declared first ({@link #copy}, {@link #put}),
 * then {@link #write()} writes the header and each tensor's data in turn, so only one tensor (or one
 * block of one, see {@link TensorValues}) is in memory at a time.
 *
 * <p>Layout (https://github.com/huggingface/safetensors#format): header JSON padded with spaces to a
 * multiple of 8 bytes, {@code __metadata__} first, data offsets contiguous from 0 in declaration
 * order. New values are encoded with round-to-nearest-even ({@link TensorCodec}). The file is
 * written under a temporary name in the target folder and renamed when complete.
 */
public final class SafetensorsWriter {

    /** Bytes moved per channel write. */
    private static final int CHUNK_BYTES = 1 << 22;

    private final Path target;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    /**
     * The direct buffer values are encoded through, made once per writer at the size of its largest tensor
     * up to {@link #CHUNK_BYTES} (one of 4 MiB allocated and zeroed per tensor took about 4 % of a
     * calibration pass's samples in a JFR profile; its layer files hold sixteen small tensors each).
     */
    private ByteBuffer encoding;

    /** A writer for {@code target} (created or replaced by {@link #write()}). */
    public SafetensorsWriter(Path target) {
        this.target = target;
    }

    private record Entry(String name, DType dtype, long[] shape, long byteLength, DataSource data) {
    }

    @FunctionalInterface
    private interface DataSource {
        void writeTo(FileChannel channel, Entry entry) throws IOException;
    }

    /** Sets the {@code __metadata__} map (replacing any set before). */
    public SafetensorsWriter metadata(Map<String, String> values) {
        metadata.clear();
        metadata.putAll(values);
        return this;
    }

    /** Copies a tensor byte for byte (same name, dtype and shape) from {@code source}. */
    public SafetensorsWriter copy(TensorSource source, String name) {
        TensorInfo info = source.info(name);
        return add(name, info.dtype(), info.shape(), (channel, e) -> writeSegment(channel, source.bytes(name)));
    }

    /** Adds a tensor from in-memory values, encoded to {@code dtype}. */
    public SafetensorsWriter put(String name, DType dtype, long[] shape, float[] values) {
        requireLength(name, shape, values.length);
        return put(name, dtype, shape, TensorValues.of(values));
    }

    /** Adds a tensor from in-memory values, encoded to {@code dtype}. */
    public SafetensorsWriter put(String name, DType dtype, long[] shape, double[] values) {
        requireLength(name, shape, values.length);
        return put(name, dtype, shape, TensorValues.of(values));
    }

    /** Adds a tensor whose values are produced when it is written, encoded to {@code dtype}. */
    public SafetensorsWriter put(String name, DType dtype, long[] shape, TensorValues values) {
        return add(name, dtype, shape, (channel, e) -> writeValues(channel, e, values));
    }

    private SafetensorsWriter add(String name, DType dtype, long[] shape, DataSource data) {
        if (name.equals(SafetensorsHeader.METADATA_KEY) || !names.add(name)) {
            throw new IllegalArgumentException(target + ": tensor name \"" + name + "\" is reserved or already added");
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(target + ": tensor \"" + name + "\" has negative dimension in "
                        + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        entries.add(new Entry(name, dtype, shape.clone(), Math.multiplyExact(elements, (long) dtype.byteSize()), data));
        return this;
    }

    private void requireLength(String name, long[] shape, long length) {
        long elements = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (elements != length) {
            throw new IllegalArgumentException(target + ": tensor \"" + name + "\" has " + length
                    + " values but shape " + Arrays.toString(shape) + " needs " + elements);
        }
    }

    /** The header entries {@link #write()} will produce, with their data offsets. */
    public List<TensorInfo> layout() {
        List<TensorInfo> infos = new ArrayList<>();
        long offset = 0;
        for (Entry e : entries) {
            infos.add(new TensorInfo(e.name, e.dtype, e.shape, offset, offset + e.byteLength));
            offset += e.byteLength;
        }
        return infos;
    }

    /**
     * Writes the file (atomically: temporary name, then rename).
     *
     * @return the number of data bytes (the sum of the tensors' sizes)
     * @throws UncheckedIOException naming the target when the file cannot be written
     */
    public long write() {
        List<TensorInfo> layout = layout();
        byte[] header = SafetensorsHeader.encode(layout, metadata);
        try {
            AtomicFiles.write(target, channel -> {
                writeFully(channel, ByteBuffer.wrap(header));
                for (Entry e : entries) {
                    long before = channel.position();
                    e.data.writeTo(channel, e);
                    if (channel.position() - before != e.byteLength) {
                        throw new IllegalStateException(target + ": tensor \"" + e.name + "\" produced "
                                + (channel.position() - before) + " bytes instead of " + e.byteLength);
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": cannot be written (" + e.getMessage() + ")", e);
        }
        return layout.isEmpty() ? 0 : layout.getLast().end();
    }

    private static void writeSegment(FileChannel channel, MemorySegment bytes) throws IOException {
        for (long offset = 0; offset < bytes.byteSize(); offset += CHUNK_BYTES) {
            writeFully(channel, bytes.asSlice(offset, Math.min(CHUNK_BYTES, bytes.byteSize() - offset)).asByteBuffer());
        }
        MappedPages.release(bytes);
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private void writeValues(FileChannel channel, Entry entry, TensorValues values) throws IOException {
        EncodingSink sink = new EncodingSink(channel, entry.dtype, encodingBuffer());
        try {
            values.emit(sink);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        long expected = entry.byteLength / entry.dtype.byteSize();
        if (sink.written != expected) {
            throw new IllegalStateException(target + ": tensor \"" + entry.name + "\" produced " + sink.written
                    + " values but shape " + Arrays.toString(entry.shape) + " needs " + expected);
        }
    }

    private ByteBuffer encodingBuffer() {
        if (encoding == null) {
            long largest = entries.stream().mapToLong(Entry::byteLength).max().orElse(0);
            encoding = ByteBuffer.allocateDirect((int) Math.max(Double.BYTES, Math.min(CHUNK_BYTES, largest)));
        }
        return encoding;
    }

    /** Encodes blocks of values through the writer's direct buffer. */
    private static final class EncodingSink implements TensorValues.Sink {
        private final FileChannel channel;
        private final DType dtype;
        private final ByteBuffer buffer;
        private final MemorySegment segment;
        private final int perChunk;
        private long written;

        EncodingSink(FileChannel channel, DType dtype, ByteBuffer buffer) {
            this.channel = channel;
            this.dtype = dtype;
            this.buffer = buffer;
            this.segment = MemorySegment.ofBuffer(buffer.clear());
            this.perChunk = buffer.capacity() / dtype.byteSize();
        }

        @Override
        public void floats(float[] block, int from, int count) {
            for (int done = 0; done < count; done += perChunk) {
                int n = Math.min(perChunk, count - done);
                TensorCodec.encode(block, from + done, n, dtype, segment);
                flush(n);
            }
        }

        @Override
        public void doubles(double[] block, int from, int count) {
            for (int done = 0; done < count; done += perChunk) {
                int n = Math.min(perChunk, count - done);
                TensorCodec.encode(block, from + done, n, dtype, segment);
                flush(n);
            }
        }

        private void flush(int count) {
            buffer.clear().limit(count * dtype.byteSize());
            try {
                writeFully(channel, buffer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written += count;
        }
    }
}
