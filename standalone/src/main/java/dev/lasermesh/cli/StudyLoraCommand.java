package dev.lasermesh.cli;

import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.ReportJson;
import dev.lasermesh.core.analysis.AnalysisReport;
import dev.lasermesh.core.eval.Evaluation;
import dev.lasermesh.core.eval.forward.DecoderWeights;
import dev.lasermesh.core.eval.perplexity.ProtocolSpec;
import dev.lasermesh.core.eval.tokenize.TextTokenizer;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import dev.lasermesh.core.lora.AdaptedMatrix;
import dev.lasermesh.core.lora.BaseWeights;
import dev.lasermesh.core.lora.LaserChoice;
import dev.lasermesh.core.lora.LoraAdapter;
import dev.lasermesh.core.lora.LoraOrderStudy;
import dev.lasermesh.core.lora.LoraStudyReport;
import dev.lasermesh.core.lora.LoraStudyRun;
import dev.lasermesh.core.lora.StudyMatrices;
import dev.lasermesh.core.lora.StudyVariant;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelConfig;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.search.OneShotSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lasermesh study lora}: is LASER more useful before or after fine-tuning? The perplexity of
 * the base model, LASER on it, the merged model, LoRA then LASER, and LASER then LoRA, on each text
 * ({@link LoraOrderStudy}).
 */
@Command(name = "lora", mixinStandardHelpOptions = true,
        description = "Perplexity of base, LASER, merged, LoRA->LASER and LASER->LoRA in one table, one column per text.")
final class StudyLoraCommand implements Callable<Integer> {

    @Mixin
    AdapterArguments inputs;

    @Mixin
    SelectionOptions selection;

    @Mixin
    PolicyOptions policy;

    @Mixin
    BaseQuantOption quant;

    @Mixin
    EvaluationOptions evaluation;

    @Option(names = "--strategy", defaultValue = OneShotSpec.NAME,
            description = "How LASER chooses on each side: one-shot, the policy's rank for every selected matrix "
                    + "(the only strategy the study runs so far) (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--threads", description = "Worker threads for evaluation (default: available processors).")
    Integer threads;

    @Option(names = "--eval-cache-mb", defaultValue = "1024",
            description = "Memory bound of the hidden-state cache for incremental evaluation (default: ${DEFAULT-VALUE} MB).")
    long cacheMegabytes;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        if (evaluation.texts.isEmpty()) {
            throw new InvalidInputException("study lora: at least one evaluation text is needed (--text FILE)");
        }
        if (!OneShotSpec.NAME.equals(strategy)) {
            throw new InvalidInputException("study lora: --strategy " + strategy + " is not supported; the study runs "
                    + OneShotSpec.NAME + " (the policy's rank for every selected matrix)");
        }
        LinearAlgebra linearAlgebra = LinearAlgebras.create();
        ProtocolSpec protocol = evaluation.spec();
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        LoraStudyReport report;
        try (ModelSource source = ModelSource.open(inputs.base);
             TextTokenizer tokenizer = TextTokenizer.load(Evaluation.modelFolder(source));
             LoraAdapter lora = LoraAdapter.open(inputs.adapter)) {
            ModelConfig config = source.decoderConfig();
            BaseWeights weights = new BaseWeights(source, quant.quantization());
            List<AdaptedMatrix> adapted = lora.resolve(source);
            List<MatrixRef> selected = selection.select(source.catalogue());
            StudyMatrices matrices = new StudyMatrices(weights, lora, adapted, linearAlgebra);
            LaserChoice laser = LoraOrderStudy.oneShot(selected, matrices, policy.toPolicy(), linearAlgebra);
            List<StudyVariant> variants = LoraOrderStudy.variants(weights.changed().stream().map(MatrixRef::name).toList(),
                    adapted.stream().map(a -> a.matrix().name()).toList(), laser);
            DecoderWeights decoder = DecoderWeights.bind(config, source.tensors(), RankMap.NONE,
                    evaluation.memoryBudget());
            List<LoraStudyRun.Text> texts = new ArrayList<>();
            for (Path text : evaluation.texts) {
                texts.add(new LoraStudyRun.Text(text.getFileName().toString(),
                        Evaluation.plan(config, tokenizer, List.of(text), protocol)));
            }
            List<LoraStudyReport.VariantResult> results;
            try (ProgressBar bar = ProgressBar.onStderr("study", (long) variants.size() * texts.size())) {
                results = LoraStudyRun.evaluate(decoder, texts, variants, matrices, workers, cacheMegabytes << 20,
                        (variant, text, ppl) -> bar.advance(1, variant + " on " + text + ": " + format(ppl)));
            }
            Map<String, Object> protocolView = new LinkedHashMap<>();
            protocolView.put("protocol", protocol.protocol().cliName());
            protocolView.put("window", protocol.window());
            protocol.maxTokens().ifPresent(n -> protocolView.put("max_tokens", n));
            report = new LoraStudyReport(inputs.base.toString(), inputs.adapter.toString(), weights.quantization().cliName(),
                    AnalysisReport.policyView(policy.spec()), protocolView, laser,
                    texts.stream().map(LoraStudyRun.Text::name).toList(), results);
        }
        if (format == OutputFormat.json) {
            System.out.println(ReportJson.write(report));
        } else {
            print(report);
        }
        return 0;
    }

    private static void print(LoraStudyReport report) {
        System.out.printf(Locale.ROOT, "base %s, adapter %s, base quant %s, LASER %s, protocol %s%n", report.base(),
                report.adapter(), report.baseQuant(), report.laser().how(), report.protocol());
        List<String> headers = new ArrayList<>(List.of("variant"));
        headers.addAll(report.texts());
        headers.add("what");
        TextTable table = new TextTable(headers.toArray(String[]::new));
        for (LoraStudyReport.VariantResult v : report.variants()) {
            List<Object> cells = new ArrayList<>(List.of(v.name()));
            report.texts().forEach(t -> cells.add(format(v.perplexity().get(t))));
            cells.add(v.description());
            table.row(cells.toArray());
        }
        table.print(System.out);
        System.out.println("LASER ranks on the base:   " + ranks(report.laser().onBase()));
        System.out.println("LASER ranks on the merged: " + ranks(report.laser().onMerged()));
    }

    private static String ranks(Map<String, Integer> ranks) {
        return ranks.isEmpty() ? "none (the policy keeps every selected matrix at full rank)"
                : ranks.entrySet().stream().map(e -> e.getKey().replace("model.layers.", "").replace(".weight", "")
                        + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String format(double ppl) {
        return String.format(Locale.ROOT, "%.6f", ppl);
    }
}
