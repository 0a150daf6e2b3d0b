package dev.lasermesh.cli;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.scan.PeftTargetSuggestion;
import dev.lasermesh.core.scan.SpectrumScan;
import dev.lasermesh.core.scan.SpectrumScanner;
import dev.lasermesh.core.tensor.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lasermesh scan}: Spectrum's SNR scan (arXiv 2406.06623, {@code spectrum.py}) and its files —
 * the scores JSON, the {@code unfrozen_parameters} YAML of the top P% of each type — plus a PEFT
 * target selection of the top n per projection as laserRMT's {@code laserQlora} notebook makes it.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Spectrum's scan: SNR/smax of every module, the unfrozen_parameters YAML of the top P% per type, "
                + "and a PEFT target_modules/layers_to_transform suggestion (laserQlora's top n per projection).")
final class ScanCommand implements Callable<Integer> {

    /** What the command prints on standard output. */
    enum ScanFormat {
        /** The YAML of each --top-percent (several as a multi-document stream). */
        yaml,
        /** The scores JSON, as spectrum.py writes it. */
        json,
        /** The PEFT target suggestion. */
        peft
    }

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model folder (config.json and safetensors).")
    Path model;

    @Option(names = "--top-percent", required = true, paramLabel = "P", split = ",",
            description = "Keep the top P% of each type in the YAML (repeatable or comma-separated, 0-100; required).")
    List<Integer> topPercents;

    @Option(names = "--model-name", paramLabel = "NAME",
            description = "The name Spectrum's files are named after (default: the model folder's name).")
    String modelName;

    @Option(names = "--top-n", defaultValue = "16", paramLabel = "N",
            description = "The PEFT suggestion keeps the N best modules of each projection (default: ${DEFAULT-VALUE}).")
    int topN;

    @Option(names = "--format", defaultValue = "yaml", description = "yaml, json or peft (default: ${DEFAULT-VALUE}).")
    ScanFormat format;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write snr_results_<model>.json, one YAML per --top-percent and the PEFT suggestion into DIR. Default: print only.")
    Path out;

    @Override
    public Integer call() {
        for (int p : topPercents) {
            if (p < 0 || p > 100) {
                throw new InvalidInputException("--top-percent " + p + " is outside 0-100");
            }
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new InvalidInputException(out + ": --out must be a folder, and this is a file");
        }
        if (topN < 1) {
            throw new InvalidInputException("--top-n " + topN + " must be at least 1");
        }
        SpectrumScan scan;
        try (ModelSource source = ModelSource.open(model)) {
            String name = modelName != null ? modelName : model.toAbsolutePath().normalize().getFileName().toString();
            try (ProgressBar bar = ProgressBar.onStderr("scan", 1)) {
                scan = new SpectrumScanner(LinearAlgebras.create()).scan(source, name, (done, total, module) -> {
                    bar.total(total);
                    bar.set(done, module);
                });
            }
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put(scan.jsonFileName(), scan.json());
        topPercents.forEach(p -> files.put(scan.yamlFileName(p), scan.yaml(p)));
        String peftName = "peft_target_modules_" + scan.slug() + "_top" + topN + ".json";
        files.put(peftName, ReportJson.write(PeftTargetSuggestion.of(scan, topN)) + "\n");
        switch (format) {
            case yaml -> System.out.print(topPercents.stream().map(scan::yaml).collect(Collectors.joining("---\n")));
            case json -> System.out.println(scan.json());
            case peft -> System.out.print(files.get(peftName));
        }
        if (out != null) {
            files.forEach((file, content) -> write(out.resolve(file), content));
            System.err.println("lasermesh: wrote " + String.join(", ", files.keySet()) + " to " + out);
        }
        return 0;
    }

    private static void write(Path file, String content) {
        try {
            AtomicFiles.write(file, content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
