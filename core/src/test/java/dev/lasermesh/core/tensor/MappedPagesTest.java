package dev.lasermesh.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Released pages of a mapped file leave this process's resident set (Linux's RssFile in
 * /proc/self/status) and the mapping still reads the same values; heap segments are left alone.
 */
class MappedPagesTest {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Pattern RSS_FILE = Pattern.compile("RssFile:\\s+(\\d+) kB");
    private static final int MIB = 1 << 20;

    @Test
    void releasedPagesLeaveTheResidentSetAndStayReadable(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isReadable(STATUS) && RSS_FILE.matcher(Files.readString(STATUS)).find(),
                "needs Linux's /proc/self/status with RssFile to see the resident set");
        int size = 64 * MIB;
        Path file = dir.resolve("values.bin");
        byte[] content = new byte[size];
        for (int i = 0; i < size; i++) {
            content[i] = (byte) (i * 31 + (i >>> 13));
        }
        Files.write(file, content);
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            MemorySegment tensor = mapped.asSlice(4096 + 123, size - 8192);
            long sum = touch(tensor);
            long before = rssFileKiB();
            MappedPages.release(tensor);
            long after = rssFileKiB();
            assertTrue(before - after >= 48L * 1024, "RssFile " + before + " kB -> " + after + " kB");
            assertEquals(sum, touch(tensor), "the released pages read back the file's bytes");
            assertEquals(content[4096 + 123 + 77], tensor.get(ValueLayout.JAVA_BYTE, 77));
        }
    }

    @Test
    void heapSegmentsAreLeftAsTheyAre() {
        float[] values = {1f, 2f, 3f};
        MappedPages.release(MemorySegment.ofArray(values));
        assertEquals(2f, values[1]);
    }

    /** Reads every byte (so every page is resident) and returns their sum. */
    private static long touch(MemorySegment segment) {
        long sum = 0;
        for (long i = 0; i < segment.byteSize(); i++) {
            sum += segment.get(ValueLayout.JAVA_BYTE, i);
        }
        return sum;
    }

    private static long rssFileKiB() throws IOException {
        Matcher m = RSS_FILE.matcher(Files.readString(STATUS));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }
}
