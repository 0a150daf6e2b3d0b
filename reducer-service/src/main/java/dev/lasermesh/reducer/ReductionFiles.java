package dev.lasermesh.reducer;

import dev.lasermesh.contracts.ArtifactPath;
import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Overlay;
import dev.lasermesh.contracts.TensorRef;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.worker.TensorDigests;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.calibrate.MethodTruncation;
import dev.lasermesh.core.tensor.SafetensorsFile;
import dev.lasermesh.core.tensor.SafetensorsWriter;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.core.tensor.TensorSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The reducers' files in the artifact store: one safetensors file per reduction task, at the task's
 * {@code outputPath}, whose {@code __metadata__} records the task id, the truncation's numbers and the
 * SHA-256 of every tensor's data.
 *
 * <p>Idempotence (DESIGN §2, §5): a redelivered task finds the file, checks that it was written for
 * this task with the expected tensors and that every checksum holds, and reuses it without
 * recomputing. A new file is written completely under a temporary name and then published without
 * overwriting: if another reducer published the same task's file meanwhile, that file is kept and
 * reported, so a checksum sent in any result stays valid for as long as the file exists.
 */
final class ReductionFiles {

    static final String TASK = "lasermesh.task";
    static final String RANK = "lasermesh.rank";
    static final String FROBENIUS_ERROR = "lasermesh.frobenius_error";
    static final String ENERGY_KEPT = "lasermesh.energy_kept";
    static final String BYTES_BEFORE = "lasermesh.bytes_before";
    static final String BYTES_AFTER = "lasermesh.bytes_after";
    static final String BACKEND = "lasermesh.backend";
    static final String SHA256_PREFIX = "lasermesh.sha256.";
    /** A calibrated method's errors (JSON), recorded only for such a reduction. */
    static final String METHOD_ERRORS = "lasermesh.method_errors";

    private static final System.Logger LOG = System.getLogger(ReductionFiles.class.getName());

    private final Path root;

    /** @param root the artifact store's root folder */
    ReductionFiles(Path root) {
        this.root = root;
    }

    /** The file of {@code task} in the store. */
    Path fileOf(ReductionTask task) {
        return ArtifactPath.resolve(root, task.outputPath());
    }

    /**
     * The reduction already stored for {@code task}: present when its file exists, was written for this
     * task id with exactly {@code layout}'s tensors, and every tensor's checksum holds. A file that
     * fails a check is reported in the log and treated as absent (it will be replaced).
     */
    Optional<StoredReduction> existing(ReductionTask task, List<TensorLayout> layout) {
        Path file = fileOf(task);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (TensorSource source = SafetensorsFile.open(file)) {
            return Optional.of(read(task, layout, source));
        } catch (InvalidInputException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "task {0}: existing file unusable, it is written anew: {1}",
                    task.taskId(), e.getMessage());
            return Optional.empty();
        }
    }

    private static StoredReduction read(ReductionTask task, List<TensorLayout> layout, TensorSource source) {
        Map<String, String> metadata = source.metadata();
        check(task.taskId().equals(metadata.get(TASK)), source, "it was written for task " + metadata.get(TASK));
        List<String> names = source.tensors().stream().map(TensorInfo::name).toList();
        check(names.equals(layout.stream().map(TensorLayout::name).toList()), source, "it holds tensors " + names);
        List<TensorRef> refs = new ArrayList<>();
        for (TensorLayout tensor : layout) {
            TensorInfo info = source.info(tensor.name());
            check(info.dtype() == tensor.dtype() && Arrays.equals(info.shape(), tensor.shape()), source,
                    "tensor " + info + " is not " + tensor);
            String sha256 = TensorDigests.sha256(source.bytes(tensor.name()));
            check(sha256.equals(metadata.get(SHA256_PREFIX + tensor.name())), source,
                    "tensor " + tensor.name() + " does not match its recorded sha256");
            refs.add(new TensorRef(task.outputPath(), tensor.name(), tensor.dtype(), tensor.shapeList(), sha256));
        }
        try {
            return new StoredReduction(new Overlay(task.matrix().tensor(), refs),
                    Integer.parseInt(recorded(metadata, RANK, source)),
                    Double.parseDouble(recorded(metadata, FROBENIUS_ERROR, source)),
                    Double.parseDouble(recorded(metadata, ENERGY_KEPT, source)),
                    Long.parseLong(recorded(metadata, BYTES_BEFORE, source)),
                    Long.parseLong(recorded(metadata, BYTES_AFTER, source)), recorded(metadata, BACKEND, source),
                    methodErrors(task, metadata, source));
        } catch (NumberFormatException e) {
            throw new InvalidInputException(source.description() + ": malformed metadata (" + e.getMessage() + ")");
        }
    }

    /** The recorded errors of a calibrated method's reduction or a methods-study cell; null for the others. */
    private static MethodTruncation.MatrixErrors methodErrors(ReductionTask task, Map<String, String> metadata,
                                                              TensorSource source) {
        if (task.method() == null && !MethodCellReduction.applies(task)) {
            return null;
        }
        try {
            return Json.read(recorded(metadata, METHOD_ERRORS, source), MethodTruncation.MatrixErrors.class);
        } catch (ContractException e) {
            throw new InvalidInputException(source.description() + ": malformed metadata " + METHOD_ERRORS);
        }
    }

    private static String recorded(Map<String, String> metadata, String key, TensorSource source) {
        String value = metadata.get(key);
        check(value != null, source, "metadata " + key + " is missing");
        return value;
    }

    private static void check(boolean holds, TensorSource source, String problem) {
        if (!holds) {
            throw new InvalidInputException(source.description() + ": " + problem);
        }
    }

    /**
     * Writes {@code truncation} as the file of {@code task} and returns what is stored: this
     * truncation, or the file another reducer published for the same task first.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    StoredReduction publish(ReductionTask task, Truncation truncation) {
        Path file = fileOf(task);
        Path temp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".part");
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put(TASK, task.taskId());
        metadata.put(RANK, Integer.toString(truncation.rank()));
        metadata.put(FROBENIUS_ERROR, Double.toString(truncation.frobeniusError()));
        metadata.put(ENERGY_KEPT, Double.toString(truncation.energyKept()));
        metadata.put(BYTES_BEFORE, Long.toString(truncation.bytesBefore()));
        metadata.put(BYTES_AFTER, Long.toString(truncation.bytesAfter()));
        metadata.put(BACKEND, truncation.backend());
        if (truncation.methodErrors() != null) {
            metadata.put(METHOD_ERRORS, Json.write(truncation.methodErrors()));
        }
        SafetensorsWriter writer = new SafetensorsWriter(temp);
        List<TensorRef> refs = new ArrayList<>();
        for (int i = 0; i < truncation.layout().size(); i++) {
            TensorLayout tensor = truncation.layout().get(i);
            double[] values = truncation.values().get(i);
            String sha256 = TensorDigests.sha256(values, tensor.dtype());
            metadata.put(SHA256_PREFIX + tensor.name(), sha256);
            writer.put(tensor.name(), tensor.dtype(), tensor.shape(), values);
            refs.add(new TensorRef(task.outputPath(), tensor.name(), tensor.dtype(), tensor.shapeList(), sha256));
        }
        StoredReduction ours = new StoredReduction(new Overlay(task.matrix().tensor(), refs), truncation.rank(),
                truncation.frobeniusError(), truncation.energyKept(), truncation.bytesBefore(), truncation.bytesAfter(),
                truncation.backend(), truncation.methodErrors());
        try {
            writer.metadata(metadata).write();
            if (linked(temp, file)) {
                return ours;
            }
            Optional<StoredReduction> theirs = existing(task, truncation.layout());
            if (theirs.isPresent()) {
                return theirs.get();
            }
            move(temp, file);
            return ours;
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Publishes the finished temporary file under the final name without overwriting (a hard link);
     * false when the name is taken. Where the file system has no hard links, it is moved into place.
     */
    private static boolean linked(Path temp, Path file) {
        try {
            Files.createLink(file, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | IOException e) {
            move(temp, file);
            return true;
        }
    }

    private static void move(Path temp, Path file) {
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be written (" + e.getMessage() + ")", e);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove temporary file {0}: {1}", temp, e.getMessage());
        }
    }
}
