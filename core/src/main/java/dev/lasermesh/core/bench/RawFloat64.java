package dev.lasermesh.core.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Raw little-endian float64 files, the format benchmark inputs and results cross to and from their
 * NumPy/PyTorch baselines in ({@code np.fromfile(path, '<f8')} / {@code array.astype('<f8').tofile(path)}).
 */
final class RawFloat64 {

    private static final int CHUNK = 1 << 17;

    private RawFloat64() {
    }

    /** Writes {@code values} to a new {@code file}. */
    static void write(Path file, double[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int from = 0; from < values.length; from += CHUNK) {
                int count = Math.min(CHUNK, values.length - from);
                buffer.clear();
                buffer.asDoubleBuffer().put(values, from, count);
                buffer.limit(8 * count);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }
    }

    /**
     * The {@code count} values of {@code file}.
     *
     * @throws IOException when the file does not hold exactly {@code count} values
     */
    static double[] read(Path file, int count) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.capacity() != 8L * count) {
            throw new IOException(file + " holds " + bytes.capacity() + " bytes, expected " + count + " float64 values");
        }
        double[] values = new double[count];
        bytes.asDoubleBuffer().get(values);
        return values;
    }
}
