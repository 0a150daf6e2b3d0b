package dev.lasermesh.contracts.job;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.core.InvalidInputException;
import dev.lasermesh.core.model.family.ModelFamily;
import dev.lasermesh.core.model.family.ModuleSpec;
import dev.lasermesh.core.search.LaserGridSpec;
import dev.lasermesh.core.search.LaserRmtGreedySpec;
import dev.lasermesh.core.search.SfsdSurgicalSpec;
import dev.lasermesh.core.search.SnrGreedySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a job's {@code strategy} and fills in core's defaults (DESIGN §3.3), with the same limits as
 * core's search specs, so that a resolved job always yields a valid search once its candidates are known.
 */
final class StrategyDefaults {

    private StrategyDefaults() {
    }

    /**
     * The strategy to use: the given one checked and completed, {@code one-shot} by default; module
     * types are the family's (a greedy scan's default order is the family's search order).
     */
    static StrategySpec resolve(StrategySpec given, MatrixSelection matrices, ModelFamily family) {
        return switch (given) {
            case null -> new StrategySpec.OneShot();
            case StrategySpec.OneShot oneShot -> oneShot;
            case StrategySpec.LaserRmtGreedy greedy -> greedy(greedy, matrices, family);
            case StrategySpec.SnrGreedy snr -> snr(snr);
            case StrategySpec.LaserGrid grid -> grid(grid);
            case StrategySpec.SfsdSurgical surgical -> surgical(surgical);
        };
    }

    private static StrategySpec greedy(StrategySpec.LaserRmtGreedy given, MatrixSelection matrices,
                                       ModelFamily family) {
        int maxAccepted = given.maxAccepted() == null ? LaserRmtGreedySpec.DEFAULT_MAX_ACCEPTED : given.maxAccepted();
        if (maxAccepted < -1) {
            throw new ContractException("maxAccepted must be >= 0, or -1 for no cap, got " + maxAccepted,
                    "strategy.maxAccepted");
        }
        boolean acceptTies = given.acceptTies() != null && given.acceptTies();
        List<String> types = given.types() == null ? family.searchOrder() : given.types();
        if (types.isEmpty()) {
            throw new ContractException("types must list at least one module type", "strategy.types");
        }
        List<String> resolved = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            String field = "strategy.types[" + i + "]";
            ModuleSpec type;
            try {
                type = family.parseModule(types.get(i) == null ? "" : types.get(i));
            } catch (InvalidInputException e) {
                throw new ContractException(e.getMessage(), field);
            }
            if (!type.perLayer()) {
                throw new ContractException("module " + type.shortName() + " is not a per-layer matrix", field);
            }
            if (resolved.contains(type.shortName())) {
                throw new ContractException("types lists " + type.shortName() + " more than once", field);
            }
            resolved.add(type.shortName());
        }
        if (resolved.stream().noneMatch(List.of(matrices.modules().split(","))::contains)) {
            throw new ContractException("none of types " + resolved + " is among the selected modules "
                    + matrices.modules(), "strategy.types");
        }
        return new StrategySpec.LaserRmtGreedy(maxAccepted, acceptTies, List.copyOf(resolved));
    }

    private static StrategySpec snr(StrategySpec.SnrGreedy given) {
        int count = given.count() == null ? SnrGreedySpec.DEFAULT_COUNT : given.count();
        if (count < 1) {
            throw new ContractException("count must be >= 1, got " + count, "strategy.count");
        }
        return new StrategySpec.SnrGreedy(count);
    }

    private static StrategySpec grid(StrategySpec.LaserGrid given) {
        List<Double> rhos = given.rhos() == null ? StrategySpec.LaserGrid.DEFAULT_RHOS : given.rhos();
        if (rhos.isEmpty()) {
            throw new ContractException("rhos must list at least one fraction in (0, 1]", "strategy.rhos");
        }
        Set<Double> seen = new HashSet<>();
        for (int i = 0; i < rhos.size(); i++) {
            Double rho = rhos.get(i);
            String field = "strategy.rhos[" + i + "]";
            if (rho == null || !(rho > 0.0 && rho <= 1.0)) {
                throw new ContractException("rho must be in (0, 1], got " + rho, field);
            }
            if (!seen.add(rho)) {
                throw new ContractException("rhos lists " + rho + " more than once", field);
            }
        }
        return new StrategySpec.LaserGrid(List.copyOf(rhos),
                validationFraction(given.validationFraction(), LaserGridSpec.DEFAULT_VALIDATION_FRACTION));
    }

    private static StrategySpec surgical(StrategySpec.SfsdSurgical given) {
        double tolerance = given.tolerance() == null ? SfsdSurgicalSpec.DEFAULT_TOLERANCE : given.tolerance();
        if (!(tolerance >= 1.0) || Double.isInfinite(tolerance)) {
            throw new ContractException("tolerance must be a finite number >= 1, got " + tolerance,
                    "strategy.tolerance");
        }
        return new StrategySpec.SfsdSurgical(tolerance,
                validationFraction(given.validationFraction(), SfsdSurgicalSpec.DEFAULT_VALIDATION_FRACTION));
    }

    /** The share of windows a split search chooses on: the given one, in (0, 1), or the strategy's default. */
    private static double validationFraction(Double given, double defaultFraction) {
        double fraction = given == null ? defaultFraction : given;
        if (!(fraction > 0.0 && fraction < 1.0)) {
            throw new ContractException("validationFraction must be in (0, 1), got " + fraction,
                    "strategy.validationFraction");
        }
        return fraction;
    }
}
