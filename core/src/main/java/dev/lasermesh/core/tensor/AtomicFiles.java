package dev.lasermesh.core.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Writes a file under a temporary name in its target folder and renames it into place, so readers
 * never see a half-written file and a crash leaves no file of the final name (DESIGN §5).
 */
public final class AtomicFiles {

    /** Writes the content of a file through a channel. */
    @FunctionalInterface
    public interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** The name of a temporary file: "." + the target's name + random digits + ".tmp". */
    private static final Pattern TEMP_NAME = Pattern.compile("\\..+[0-9]+\\.tmp");

    private AtomicFiles() {
    }

    /**
     * Whether {@code file} is a temporary file of this class that a killed process left behind (a
     * regular file named as {@link #write} names its temporary files), so a folder of ours holding
     * one may be cleaned.
     */
    public static boolean isLeftoverTemp(Path file) {
        return TEMP_NAME.matcher(file.getFileName().toString()).matches()
                && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    /** Writes {@code content} to {@code target} atomically. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    /**
     * Runs {@code body} on a fresh temporary file beside {@code target}, forces it to disk and
     * renames it to {@code target} (replacing it); the temporary file is removed if anything fails.
     */
    public static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, "." + absolute.getFileName(), ".tmp");
        try {
            readableByAll(temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                body.writeTo(channel);
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Temporary files are created owner-only (0600); a model or report is an ordinary output file,
     * so it gets the usual 0644 before it takes its final name.
     */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }
}
