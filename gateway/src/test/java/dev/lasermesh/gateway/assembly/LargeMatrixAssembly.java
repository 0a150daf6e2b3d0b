package dev.lasermesh.gateway.assembly;

import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.ReductionOutput;
import dev.lasermesh.core.analysis.MatrixAnalysis;
import dev.lasermesh.core.model.MatrixRef;
import dev.lasermesh.core.model.ModelSource;
import dev.lasermesh.core.reduce.ReductionReport;
import dev.lasermesh.core.reduce.ReductionResult;
import dev.lasermesh.core.spectrum.FixedRankPolicy;
import dev.lasermesh.core.spectrum.RankPolicySpec;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.core.spectrum.SpectrumSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The child JVM of {@link LargeMatrixAssemblyTest}: assembles the output of a model with one replaced
 * matrix, analysed as {@link ReflectedDiagonal} made it (its known spectrum, the reduction's rank), from a
 * stored reduction. Prints {@code norm}, {@code rounded-error} and {@code max-heap} and exits 0, or prints
 * {@code failure <reason>} and exits 3 when the assembly fails.
 *
 * <p>Arguments: model folder, output folder, artifact store, the reduction's JSON file.
 */
final class LargeMatrixAssembly {

    private LargeMatrixAssembly() {
    }

    public static void main(String[] args) throws IOException {
        Path model = Path.of(args[0]);
        ReductionOutput reduction = Json.read(Files.readString(Path.of(args[3])), ReductionOutput.class);
        MatrixAnalysis analysis;
        try (ModelSource source = ModelSource.open(model)) {
            MatrixRef m = source.catalogue().byName(reduction.overlay().replaces());
            SpectrumSummary summary = SpectrumSummary.of(new SingularSpectrum(
                    ReflectedDiagonal.spectrum(m.rows(), m.cols()), m.rows(), m.cols()),
                    new FixedRankPolicy(reduction.rank()));
            analysis = new MatrixAnalysis(m, Optional.of(summary), Optional.of("known"), 0, Optional.empty());
        }
        OutputAssembler assembler = new OutputAssembler(new ArtifactTensors(Path.of(args[2])),
                new PathRoots("model", List.of(model.getParent())));
        try {
            ReductionReport report = assembler.write(new OutputAssembler.Input(model, Path.of(args[1]),
                    new RankPolicySpec(FixedRankPolicy.NAME, null, null, reduction.rank(), null), reduction.overlay().form(),
                    List.of(analysis), Map.of(analysis.matrix().name(), reduction), null, null, null));
            ReductionResult result = report.matrices().getFirst().reduction();
            System.out.println("norm " + result.frobeniusNorm());
            System.out.println("rounded-error " + result.roundedError());
            System.out.println("max-heap " + Runtime.getRuntime().maxMemory());
        } catch (AssemblyFailure e) {
            System.out.println("failure " + e.getMessage());
            System.exit(3);
        }
    }
}
