package dev.chl.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;

/**
 * When an access token is configured, every /api and /mcp request must carry it as a bearer token, and the console's
 * login asks for it. Wrong tokens are counted per client address ({@link FailedAttempts}): past the limit an address
 * is refused with 429 for the rest of the minute.
 */
public final class TokenGuard {
    /** What a presented token is worth. */
    public enum Verdict { ACCEPTED, WRONG, TOO_MANY_ATTEMPTS }

    private final byte[] token;
    private final FailedAttempts failures;

    /** @param token the configured token, or null when the server runs without one (loopback only) */
    public TokenGuard(String token) {
        this(token, Clock.systemUTC());
    }

    public TokenGuard(String token, Clock clock) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.failures = new FailedAttempts(clock);
    }

    public boolean enabled() {
        return token != null;
    }

    /** The paths a token guards (the API, /mcp and the Prometheus scrape); the console has its login, /health is open. */
    public static boolean protects(String path) {
        return path.startsWith("/api/") || path.equals("/api") || path.equals("/mcp") || path.startsWith("/mcp/")
                || path.equals("/metrics");
    }

    /**
     * Checks a presented {@code Authorization} header from {@code address}: a wrong bearer token counts against the
     * address, and an address past the limit is refused whatever it presents. A request with no bearer token at all
     * is wrong but not counted (it is not a guess).
     */
    public Verdict verify(String address, String authorizationHeader) {
        if (token == null) {
            return Verdict.ACCEPTED;
        }
        if (failures.blockedForSeconds(address) > 0) {
            return Verdict.TOO_MANY_ATTEMPTS;
        }
        if (accepts(authorizationHeader)) {
            return Verdict.ACCEPTED;
        }
        if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            failures.record(address);
        }
        return Verdict.WRONG;
    }

    public long retryAfterSeconds(String address) {
        return failures.blockedForSeconds(address);
    }

    /** The refusal's wording, the same for the API, /mcp and the console. */
    public String tooManyAttempts(String address) {
        return FailedAttempts.LIMIT + " wrong access tokens came from this address within a minute; wait "
                + retryAfterSeconds(address) + " s, and check the token against CHL_API_TOKEN where the server runs";
    }

    /** Constant-time comparison, so response timing does not reveal how much of a guess was right (not counted). */
    public boolean accepts(String authorizationHeader) {
        if (token == null) {
            return true;
        }
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorizationHeader.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, presented);
    }
}
