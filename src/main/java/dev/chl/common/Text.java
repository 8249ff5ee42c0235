package dev.chl.common;

import java.text.BreakIterator;
import java.util.Locale;

/** The rules for text a person or assistant sends: what is trimmed, what cannot be stored, what counts as one line. */
public final class Text {
    /** How far back from the limit a preview looks for the end of a word before it cuts inside one. */
    private static final int PREVIEW_WORD_SLACK = 20;

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
            } else if (isForbidden(c)) {
                return "contains the " + (Character.getType(c) == Character.CONTROL ? "control character " : "non-character ")
                        + hex(c) + " at position " + (i + 1) + "; remove it";
            }
        }
        return null;
    }

    /**
     * {@code s} with what {@link #unstorable} refuses replaced by spaces: for text where refusing would help nobody (a
     * search query pasted from a coloured log; a name a program chose, see {@link #oneLine}).
     */
    public static String withoutUnstorable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) || isForbidden(c) ? ' ' : c);
            }
        }
        return out.toString();
    }

    /**
     * Control characters other than tab and line breaks, and U+FFFE / U+FFFF (non-characters: the .xlsx writer turns
     * them into '?', so an export and import would change the text).
     */
    private static boolean isForbidden(char c) {
        boolean control = Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r';
        return control || c == '\uFFFE' || c == '\uFFFF';
    }

    /**
     * {@code s} made into one storable line, for a name nobody typed into a form (an MCP client's name becomes an author
     * and an audit actor): what {@link #unstorable} refuses and every line break become spaces, runs of spaces one,
     * then {@link #trim}.
     */
    public static String oneLine(String s) {
        String storable = withoutUnstorable(s);
        StringBuilder out = new StringBuilder(storable.length());
        boolean space = false;
        for (int i = 0; i < storable.length(); i++) {
            char c = storable.charAt(i);
            boolean blank = c == ' ' || c == '\t' || isLineBreak(c);
            if (!blank || !space) {
                out.append(blank ? ' ' : c);
            }
            space = blank;
        }
        return trim(out.toString());
    }

    private static boolean isLineBreak(int c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /** Whether {@code s} has no line break of any kind (including U+0085, U+2028 and U+2029). */
    public static boolean isOneLine(String s) {
        return s.chars().noneMatch(Text::isLineBreak);
    }

    /**
     * {@code s} cut to at most {@code max} UTF-16 units between two graphemes: never half of a surrogate pair (an emoji
     * became U+FFFD or '?'), a letter without its accent, or part of a joined emoji sequence.
     */
    public static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, cutAtOrBefore(s, max));
    }

    /**
     * {@code s} shortened for a preview to at most {@code max} UTF-16 units ending in "…": after the last whole word when
     * one ends near the limit, else between two graphemes (see {@link #truncate}).
     */
    public static String preview(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = cutAtOrBefore(s, max - 1);
        int nearest = Math.max(0, end - Math.min(PREVIEW_WORD_SLACK, max / 4));
        for (int i = end; i > nearest; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                end = i;
                break;
            }
        }
        return s.substring(0, end).stripTrailing() + "…";
    }

    /** The last grapheme boundary at or before {@code index}; a code point boundary when one grapheme is longer than that. */
    private static int cutAtOrBefore(String s, int index) {
        BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
        graphemes.setText(s);
        int cut = graphemes.isBoundary(index) ? index : graphemes.preceding(index);
        if (cut > 0 || index == 0) {
            return cut;
        }
        return Character.isLowSurrogate(s.charAt(index)) && Character.isHighSurrogate(s.charAt(index - 1)) ? index - 1 : index;
    }

    private static boolean isBlank(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || cp == 0x200B || cp == 0x200C || cp == 0x2060 || cp == 0xFEFF || cp == 0x180E;
    }

    private static String hex(char c) {
        return String.format("U+%04X", (int) c);
    }
}
