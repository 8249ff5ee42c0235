package dev.chl.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** How the console writes times, sizes and durations: the same way on every page. */
public final class Fmt {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Fmt() {}

    public static String when(Instant at) {
        return at == null ? "—" : WHEN.format(at);
    }

    /** An API timestamp (ISO-8601 text) as the console shows it; unreadable text is shown as it is. */
    public static String when(String iso) {
        if (iso == null || iso.isBlank()) {
            return "—";
        }
        try {
            return when(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    public static String millis(Long ms) {
        if (ms == null) {
            return "—";
        }
        Duration d = Duration.ofMillis(ms);
        if (ms < 1000) {
            return ms + " ms";
        }
        if (d.toMinutes() < 1) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        }
        return d.toHours() + " h " + d.toMinutesPart() + " min";
    }

    public static String score(double score) {
        return String.format(Locale.ROOT, "%.3f", score);
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
