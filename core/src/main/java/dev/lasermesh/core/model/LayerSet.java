package dev.lasermesh.core.model;

import dev.lasermesh.core.InvalidInputException;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A set of decoder layers, parsed from a user's list such as {@code "0-5"} or {@code "0,2,4-5"}. */
public final class LayerSet {

    private static final Pattern ITEM = Pattern.compile("(\\d+)(?:-(\\d+))?");

    private final BitSet layers;

    private LayerSet(BitSet layers) {
        this.layers = layers;
    }

    /** Every layer of a model with {@code numLayers} layers. */
    public static LayerSet all(int numLayers) {
        BitSet bits = new BitSet();
        bits.set(0, numLayers);
        return new LayerSet(bits);
    }

    /**
     * Parses comma-separated layers and inclusive ranges ({@code "0,2,4-5"}; {@code "all"} for
     * every layer), validated against the model's number of layers.
     *
     * @throws InvalidInputException naming the item that is malformed, reversed or out of range
     */
    public static LayerSet parse(String spec, int numLayers) {
        if (spec.trim().equalsIgnoreCase("all")) {
            return all(numLayers);
        }
        BitSet bits = new BitSet();
        for (String raw : spec.split(",", -1)) {
            String item = raw.trim();
            Matcher m = ITEM.matcher(item);
            if (!m.matches()) {
                throw new InvalidInputException("layer list \"" + spec + "\": \"" + item
                        + "\" is not a layer number or a range like 2-5");
            }
            int from = number(spec, m.group(1), numLayers);
            int to = m.group(2) == null ? from : number(spec, m.group(2), numLayers);
            if (to < from) {
                throw new InvalidInputException("layer list \"" + spec + "\": range \"" + item + "\" is reversed");
            }
            bits.set(from, to + 1);
        }
        return new LayerSet(bits);
    }

    private static int number(String spec, String digits, int numLayers) {
        int layer;
        try {
            layer = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            layer = Integer.MAX_VALUE;
        }
        if (layer >= numLayers) {
            throw new InvalidInputException("layer list \"" + spec + "\": layer " + digits
                    + " is out of range: the model has " + numLayers + " layers (0-" + (numLayers - 1) + ")");
        }
        return layer;
    }

    public boolean contains(int layer) {
        return layer >= 0 && layers.get(layer);
    }

    /** The layers, ascending. */
    public List<Integer> layers() {
        return layers.stream().boxed().toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerSet s && layers.equals(s.layers);
    }

    @Override
    public int hashCode() {
        return layers.hashCode();
    }

    @Override
    public String toString() {
        return layers().toString();
    }
}
