package dev.chl.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Opaque page cursors: the sort key of the last row of a page, base64url-encoded so clients treat it as a token. */
public final class Cursors {
    private static final char SEPARATOR = '\n';

    private Cursors() {}

    public static String encode(String... parts) {
        String joined = String.join(String.valueOf(SEPARATOR), parts);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor into exactly {@code parts} pieces, or says the cursor is not one of ours. */
    public static List<String> decode(String cursor, int parts) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            List<String> pieces = List.of(text.split(String.valueOf(SEPARATOR), -1));
            if (pieces.size() == parts) {
                return pieces;
            }
        } catch (IllegalArgumentException ignored) {
            // falls through to the error below
        }
        throw notOurs();
    }

    /** The error for a cursor this server did not write (also for one that decodes but holds no valid position). */
    public static ValidationException notOurs() {
        return new ValidationException("cursor", "not a cursor from this server; pass next_cursor from the previous page unchanged");
    }
}
