package dev.chl.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** When an access token is configured, every /api and /mcp request must carry it as a bearer token. */
public final class TokenGuard {
    private final byte[] token;

    /** @param token the configured token, or null when the server runs without one (loopback only) */
    public TokenGuard(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean enabled() {
        return token != null;
    }

    static boolean protects(String path) {
        return path.startsWith("/api/") || path.equals("/api") || path.equals("/mcp") || path.startsWith("/mcp/");
    }

    void check(Context ctx) {
        if (token == null || !protects(ctx.path())) {
            return;
        }
        if (!accepts(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"chl\"");
            throw new HttpError(401, "Unauthorized",
                    "this server needs its access token: send the header Authorization: Bearer <CHL_API_TOKEN>");
        }
    }

    /** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
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
