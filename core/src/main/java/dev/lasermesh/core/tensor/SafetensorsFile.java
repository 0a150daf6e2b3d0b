package dev.lasermesh.core.tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One safetensors file, memory-mapped as a single {@link MemorySegment} (64-bit offsets, so files
 * and tensors larger than 2 GB work) and validated on opening (see {@link SafetensorsHeader}).
 *
 * <p>Tensors are decoded on demand from the mapping, so only the pages actually read occupy memory.
 * Thread-safe for reading; {@link #close()} unmaps the file, after which reads fail.
 */
public final class SafetensorsFile implements TensorSource {

    private final Path path;
    private final Arena arena;
    private final MemorySegment data;
    private final SafetensorsHeader header;
    private final Map<String, TensorInfo> byName = new LinkedHashMap<>();

    private SafetensorsFile(Path path, Arena arena, MemorySegment whole) {
        this.path = path;
        this.arena = arena;
        this.header = SafetensorsHeader.parse(path.toString(), whole);
        this.data = whole.asSlice(header.dataStart());
        header.tensors().forEach(t -> byName.put(t.name(), t));
    }

    /**
     * Maps and validates a safetensors file.
     *
     * @throws TensorFormatException naming the file when it is missing, unreadable or malformed
     */
    public static SafetensorsFile open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new SafetensorsFile(file, arena, whole);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new TensorFormatException(file + ": file not found");
        } catch (IOException e) {
            arena.close();
            throw new TensorFormatException(file + ": cannot be read (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The mapped file. */
    public Path path() {
        return path;
    }

    /** The parsed header. */
    public SafetensorsHeader header() {
        return header;
    }

    @Override
    public List<TensorInfo> tensors() {
        return header.tensors();
    }

    @Override
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = byName.get(name);
        if (info == null) {
            throw new TensorFormatException(path + ": no tensor named \"" + name + "\" in this file");
        }
        return info;
    }

    @Override
    public MemorySegment bytes(String name) {
        TensorInfo info = info(name);
        return data.asSlice(info.begin(), info.byteLength());
    }

    @Override
    public float[] readFloats(String name) {
        TensorInfo info = info(name);
        float[] values = new float[arrayLength(info)];
        MemorySegment stored = bytes(name);
        TensorCodec.decode(stored, info.dtype(), values, 0, values.length);
        MappedPages.release(stored);
        return values;
    }

    @Override
    public double[] readDoubles(String name) {
        TensorInfo info = info(name);
        double[] values = new double[arrayLength(info)];
        MemorySegment stored = bytes(name);
        TensorCodec.decode(stored, info.dtype(), values, 0, values.length);
        MappedPages.release(stored);
        return values;
    }

    private int arrayLength(TensorInfo info) {
        long n = info.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new TensorFormatException(path + ": tensor \"" + info.name() + "\" has " + n
                    + " elements, more than one Java array holds; decode it in blocks from bytes()");
        }
        return (int) n;
    }

    @Override
    public Map<String, String> metadata() {
        return header.metadata();
    }

    @Override
    public String description() {
        return path.toString();
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + header.tensors().size() + " tensors]";
    }
}
