package dev.lasermesh.core.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes safetensors files byte by byte (any header text, any length), to test the reader's checks. */
final class RawSafetensors {

    private RawSafetensors() {
    }

    /** A file made of the 8-byte length of {@code header}, the header text and {@code dataBytes} zero bytes. */
    static Path write(Path file, String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return write(file, json.length, json, dataBytes);
    }

    /** A file whose length field says {@code declaredLength}, whatever the header really is. */
    static Path write(Path file, long declaredLength, byte[] header, int dataBytes) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(declaredLength).put(header);
        return bytes(file, buffer.array());
    }

    /** A file holding exactly these bytes. */
    static Path bytes(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
