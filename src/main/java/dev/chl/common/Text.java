package dev.chl.common;

/** The rules for text a person or assistant sends: what is trimmed, what cannot be stored, what counts as one line. */
public final class Text {
    private Text() {}

    /**
     * Removes white space and invisible characters (no-break and other Unicode spaces, zero-width spaces, byte-order
     * marks) from both ends. {@link String#strip()} keeps U+00A0 and U+200B, so a title of nothing else used to be
     * saved as text and then fail to embed forever.
     */
    public static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isBlank(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isBlank(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /**
     * Why {@code s} cannot be stored as it is, or null when it can: control characters other than tab and line breaks
     * (SQLite's length() stops at NUL, and a workbook cannot hold them), and halves of a surrogate pair without the
     * other half (they were stored as '?').
     */
    public static String unstorable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains a broken character (an unpaired UTF-16 surrogate " + hex(c) + ") at position " + (i + 1)
                        + "; send the text as valid Unicode";
            } else if (Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r') {
                return "contains the control character " + hex(c) + " at position " + (i + 1) + "; remove it";
            }
        }
        return null;
    }

    /** Whether {@code s} has no line break of any kind (including U+0085, U+2028 and U+2029). */
    public static boolean isOneLine(String s) {
        return s.chars().noneMatch(c -> c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029');
    }

    private static boolean isBlank(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || cp == 0x200B || cp == 0x200C || cp == 0x2060 || cp == 0xFEFF || cp == 0x180E;
    }

    private static String hex(char c) {
        return String.format("U+%04X", (int) c);
    }
}
