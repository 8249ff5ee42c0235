package dev.chl.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The one textual form of a timestamp: ISO-8601 UTC with exactly three fraction digits.
 * A fixed width keeps stored timestamps sortable as text on every database.
 */
public final class Times {
    private static final DateTimeFormatter FORMAT =
            // uuuu, the proleptic year: yyyy is the year of an era, which prints 2 BC (year -1) as 0002
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {}

    public static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * The {@code updated_at} for a new version of a row last written at {@code previous}: now, but always at least a
     * millisecond (the precision stored and shown) later. Two writes within one millisecond would otherwise share one
     * version, and an editor holding the overwritten one would pass the version check (ETag, If-Match).
     */
    public static Instant nextVersion(Instant previous, Instant now) {
        Instant stamp = now.truncatedTo(ChronoUnit.MILLIS);
        if (previous == null) {
            return stamp;
        }
        Instant floor = previous.truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        return stamp.isBefore(floor) ? floor : stamp;
    }

    public static Instant parse(String text) {
        return text == null ? null : Instant.parse(text);
    }

    /**
     * A lower bound given by a person: an ISO-8601 instant, or a plain date (2026-11-01) meaning the start of that day
     * in UTC, as the console's filter suggests.
     */
    public static Instant parseSince(String field, String text) {
        String t = text.trim();
        if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
            try {
                return java.time.LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new ValidationException(field, "'" + text + "' is not a date; use e.g. 2026-01-31 or 2026-01-31T12:00:00Z");
            }
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new ValidationException(field, "'" + text + "' is neither a date nor an ISO-8601 UTC time; use e.g. 2026-01-31 "
                    + "or 2026-01-31T12:00:00Z");
        }
    }

    /** Parses an ISO-8601 instant given by a user, or explains the expected form. */
    public static Instant parseInput(String field, String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new ValidationException(field, "'" + text + "' is not an ISO-8601 UTC time; use e.g. 2026-01-31T12:00:00Z");
        }
    }
}
