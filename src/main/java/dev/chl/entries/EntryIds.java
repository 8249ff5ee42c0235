package dev.chl.entries;

import dev.chl.model.Kind;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Entry ids in the DESIGN §2 form {@code EXP-<CODE>-<yyyyMMdd>-<HHmmssSSS>}. The first id of a millisecond has no
 * suffix; later ones in the same millisecond get {@code -2}, {@code -3}, … (an instant older than the newest one seen
 * gets a random suffix). Another process writing the same store can
 * still collide, so callers retry with {@link #withRandomSuffix} when the insert meets an existing key.
 */
final class EntryIds {
    static final Pattern FORMAT = Pattern.compile("^(EXP|MNL)-[A-Z]{3}-\\d{8}-\\d{9}(-[a-z0-9]{1,8})?$");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmssSSS").withZone(ZoneOffset.UTC);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Integer> issuedThisMillisecond = new HashMap<>();
    private long currentMillisecond = Long.MIN_VALUE;

    synchronized String next(Kind kind, String categoryCode, Instant now) {
        long millis = now.toEpochMilli();
        if (millis < currentMillisecond) {
            // Callers read the clock before they get here, so an older instant can arrive after a newer one; the
            // counters of its millisecond are gone, and restarting them would hand out an id already issued.
            return withRandomSuffix(kind, categoryCode, now);
        }
        if (millis > currentMillisecond) {
            currentMillisecond = millis;
            issuedThisMillisecond.clear();
        }
        String base = kind.idPrefix() + "-" + categoryCode + "-" + STAMP.format(now);
        int count = issuedThisMillisecond.merge(base, 1, Integer::sum);
        return count == 1 ? base : base + "-" + count;
    }

    String withRandomSuffix(Kind kind, String categoryCode, Instant now) {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return kind.idPrefix() + "-" + categoryCode + "-" + STAMP.format(now) + "-" + suffix;
    }
}
