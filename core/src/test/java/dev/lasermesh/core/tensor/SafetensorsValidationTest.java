package dev.lasermesh.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed-file case of DESIGN §5 gives a one-line TensorFormatException naming the file, the tensor and the problem. */
class SafetensorsValidationTest {

    @TempDir
    Path dir;

    private String failure(Path file, String... expectedFragments) {
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> SafetensorsFile.open(file).close());
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), message);
        assertFalse(message.contains("\n"), message);
        for (String fragment : expectedFragments) {
            assertTrue(message.contains(fragment), "expected \"" + fragment + "\" in: " + message);
        }
        return message;
    }

    private Path file(String header, int dataBytes) {
        return RawSafetensors.write(dir.resolve("m.safetensors"), header, dataBytes);
    }

    @Test
    void fileShorterThanTheLengthFieldIsTruncated() {
        failure(RawSafetensors.bytes(dir.resolve("m.safetensors"), new byte[5]), "truncated", "5 bytes");
    }

    @Test
    void emptyFileIsTruncated() {
        failure(RawSafetensors.bytes(dir.resolve("m.safetensors"), new byte[0]), "truncated");
    }

    @Test
    void headerLengthBeyondTheEndOfTheFile() {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        failure(RawSafetensors.write(dir.resolve("m.safetensors"), 1000, header, 0), "header length 1000",
                "beyond the end of the file");
    }

    @Test
    void headerLengthWithTheHighBitSetIsBeyondTheEnd() {
        byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
        failure(RawSafetensors.write(dir.resolve("m.safetensors"), -1L, header, 0), "18446744073709551615",
                "beyond the end");
    }

    @Test
    void headerThatIsNotJsonIsNotQuoted() {
        String message = failure(file("this is not json", 0), "not valid JSON (syntax error at line 1, column 1)");
        assertFalse(message.contains("this"), message);
    }

    @Test
    void headerThatIsNotAnObject() {
        failure(file("[1, 2, 3]", 0), "not a JSON object");
    }

    @Test
    void duplicateTensorNamesAreRejected() {
        failure(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "not valid JSON (duplicate key at line 1");
    }

    @Test
    void entryMissingDtype() {
        failure(file("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "tensor \"w\"", "\"dtype\"", "missing");
    }

    @Test
    void entryMissingShape() {
        failure(file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8), "tensor \"w\"", "\"shape\"");
    }

    @Test
    void entryWithNegativeDimension() {
        failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), "tensor \"w\"",
                "\"shape\"", "[-2]");
    }

    @Test
    void entryWithNonIntegerDimension() {
        failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8), "tensor \"w\"",
                "\"shape\"");
    }

    @Test
    void entryWithThreeOffsets() {
        failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", 8), "tensor \"w\"",
                "\"data_offsets\"", "2 non-negative integers");
    }

    @Test
    void entryThatIsNotAnObject() {
        failure(file("{\"w\":[1,2]}", 0), "tensor \"w\"", "not a JSON object");
    }

    @Test
    void unknownDtypeIsNamed() {
        failure(file("{\"position_ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8),
                "tensor \"position_ids\"", "\"I64\"", "F32, F16, BF16, F64");
    }

    @Test
    void byteSizeMustMatchShapeTimesDtypeSize() {
        failure(file("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", 16), "tensor \"w\"",
                "16 data bytes", "[2, 3]", "needs 12");
    }

    @Test
    void offsetsEndingBeforeTheyBegin() {
        failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", 8), "tensor \"w\"",
                "[8, 4]");
    }

    @Test
    void offsetsOutsideTheDataSectionMeanATruncatedFile() {
        failure(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 10), "tensor \"w\"",
                "[0, 16]", "outside the data section of 10 bytes", "truncated");
    }

    @Test
    void overlappingTensorsAreNamed() {
        failure(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24), "\"a\"", "\"b\"", "overlap");
    }

    @Test
    void metadataValuesMustBeStrings() {
        failure(file("{\"__metadata__\":{\"format\":1}}", 0), "__metadata__", "\"format\"", "not a string");
    }

    @Test
    void zeroElementTensorsAndGapsAreAccepted() {
        Path f = file("{\"__metadata__\":{\"k\":\"v\"},\"empty\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[4,4]},"
                + "\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[8,12]}}", 16);
        try (SafetensorsFile file = SafetensorsFile.open(f)) {
            assertEquals(2, file.tensors().size());
            assertEquals(0, file.readFloats("empty").length);
            assertEquals(2, file.readDoubles("w").length);
            assertEquals("v", file.metadata().get("k"));
        }
    }

    @Test
    void missingFileIsNamed() {
        failure(dir.resolve("absent.safetensors"), "not found");
    }

    @Test
    void tensorSourcesNamesAPathThatDoesNotExist() {
        Path absent = dir.resolve("no-such-model");
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> TensorSources.open(absent));
        assertTrue(e.getMessage().contains(absent.toString()) && e.getMessage().contains("no such file or folder"),
                e.getMessage());
    }

    @Test
    void tensorSourcesNamesAFolderWithoutWeights() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("empty-model"));
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> TensorSources.open(folder));
        assertTrue(e.getMessage().contains(folder.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("model.safetensors.index.json")
                && e.getMessage().contains("nor model.safetensors"), e.getMessage());
    }
}
