package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The check every service runs before it reads a LoRA adapter folder (issue 10) — the validator at
 * submission, the reducer and the gateway when they open it: the folder and every entry in it resolve
 * inside the model roots ({@link PathRoots}), as a model folder's files must ({@link ModelFolders}). An
 * adapter folder is small (a config, the factors, perhaps a README), so every entry is checked, not
 * only the two files read.
 */
public final class AdapterFolders {

    private AdapterFolders() {
    }

    /**
     * The study with its adapter resolved; any other study (or none) as given.
     *
     * @throws ContractException naming {@code study.adapter}
     */
    public static StudySpec resolve(StudySpec study, PathRoots modelRoots) {
        if (study == null || !study.lora()) {
            return study;
        }
        Path folder = requireInside(modelRoots, modelRoots.resolve(study.adapter(), "study.adapter"), "study.adapter");
        return study.withAdapter(folder.toString());
    }

    /**
     * The real path of the adapter folder {@code adapter}, once it and every entry in it are found inside
     * {@code modelRoots}.
     *
     * @param field the field it came from ({@code study.adapter}, {@code transform.lora.adapter})
     * @throws ContractException naming {@code field}: not a folder, or an entry resolving outside the roots
     */
    public static Path requireInside(PathRoots modelRoots, Path adapter, String field) {
        Path real = modelRoots.requireInside(adapter, field + " " + adapter.getFileName(), field);
        if (!Files.isDirectory(real)) {
            throw new ContractException(field + " " + adapter.getFileName() + " is not a folder (a PEFT adapter "
                    + "folder holds adapter_config.json and adapter_model.safetensors)", field);
        }
        for (Path entry : entries(real, field)) {
            modelRoots.requireInside(entry, field + " " + real.getFileName() + ": " + entry.getFileName(), field);
        }
        return real;
    }

    private static List<Path> entries(Path folder, String field) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.toList();
        } catch (IOException e) {
            throw new ContractException(field + " " + folder.getFileName() + " cannot be listed: " + e.getMessage(),
                    field);
        }
    }
}
