package dev.lasermesh.contracts;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Paths into the artifact store, the directory every service mounts (DESIGN §2). Messages carry them
 * relative to the store's root, with forward slashes, so that services may mount the store at
 * different places and a message can never name a file outside the store: absolute paths, {@code ..}
 * and empty segments are rejected.
 */
public final class ArtifactPath {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+=@-]*");

    private ArtifactPath() {
    }

    /**
     * Checks a relative artifact path such as {@code jobs/j-42/reduced/model.layers.5.mlp.down_proj.weight-k12.safetensors}.
     *
     * @param path  the path from a message
     * @param field the field it came from, for the error
     * @return {@code path}
     * @throws ContractException naming {@code field} when a segment is empty, {@code .}, {@code ..},
     *                           starts with a dot or dash, or has characters outside {@code [A-Za-z0-9._+=@-]}
     */
    public static String check(String path, String field) {
        Require.text(path, field);
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new ContractException(field + " " + Quoted.of(path) + " is not a relative artifact path (segment "
                        + Quoted.of(segment) + "; segments are [A-Za-z0-9_][A-Za-z0-9._+=@-]*, separated by /)", field);
            }
        }
        return path;
    }

    /** The file {@code path} (checked) names in the artifact store mounted at {@code root}. */
    public static Path resolve(Path root, String path) {
        return root.resolve(check(path, "path"));
    }
}
