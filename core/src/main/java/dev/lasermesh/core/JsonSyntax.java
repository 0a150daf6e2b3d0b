package dev.lasermesh.core;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;

/**
 * Says why a JSON file does not parse without quoting it. The parser's own messages quote the token it
 * stopped at ({@code Unrecognized token 'root'}), which for a file the user may not read (a
 * {@code config.json} that turns out to be a secret) would hand its first word to whoever asked; error
 * messages never echo file contents (DESIGN §5). What remains is the kind of problem and where.
 */
public final class JsonSyntax {

    private JsonSyntax() {
    }

    /** {@code "syntax error at line 3, column 7"}, {@code "duplicate key at ..."} or {@code "unexpected end at ..."}. */
    public static String problem(JacksonException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String kind = original.startsWith("Duplicate field") ? "duplicate key"
                : original.contains("end-of-input") ? "unexpected end" : "syntax error";
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? kind : kind + " at line " + at.getLineNr() + ", column "
                + at.getColumnNr();
    }
}
