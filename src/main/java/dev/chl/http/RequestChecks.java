package dev.chl.http;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The checks every request passes before a route or the MCP servlet sees it, in one place for both doors: the Host
 * it names (DNS rebinding, without a token), where a browser says it comes from (cross-site forgery, on the API and
 * /mcp), and the access token (on the API and /mcp, when one is set).
 */
public final class RequestChecks {
    /** Why a request is refused, as the problem to answer and the headers to send with it. */
    public record Refusal(int status, String title, String detail, Map<String, String> headers) {}

    private final HostCheck hosts;
    private final TokenGuard guard;

    public RequestChecks(TokenGuard guard) {
        this.hosts = new HostCheck(guard.enabled());
        this.guard = guard;
    }

    /** The refusal for a request, or null when it may go on. */
    public Refusal check(String method, String path, UnaryOperator<String> headers, String address) {
        Refusal refusal = hosts.check(headers.apply("Host"));
        if (refusal != null) {
            return refusal;
        }
        String clean = normalized(path);
        boolean guarded = clean == null || TokenGuard.protects(clean); // a path that cannot be read is guarded
        if (!guarded) {
            return null;
        }
        refusal = OriginCheck.check(method, headers);
        return refusal != null ? refusal : token(address, headers.apply("Authorization"));
    }

    /**
     * The path as a router would match it ("/./api", "/x/../api" and "//api" are /api); null when it cannot be read,
     * which is then guarded like the API (fail closed).
     */
    static String normalized(String path) {
        try {
            String clean = java.net.URI.create("http://h" + path.replaceAll("/{2,}", "/")).normalize().getPath();
            return clean == null || clean.isEmpty() ? "/" : clean;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Refusal token(String address, String authorization) {
        return switch (guard.verify(address, authorization)) {
            case ACCEPTED -> null;
            case WRONG -> new Refusal(401, "Unauthorized", authorization == null || authorization.isBlank()
                    ? "this server needs its access token: send the header Authorization: Bearer <CHL_API_TOKEN>"
                    : "the access token sent is not this server's: use the token it was started with (CHL_API_TOKEN)",
                    Map.of("WWW-Authenticate", "Bearer realm=\"chl\""));
            case TOO_MANY_ATTEMPTS -> new Refusal(429, "Too Many Requests", guard.tooManyAttempts(address),
                    Map.of("Retry-After", Long.toString(guard.retryAfterSeconds(address))));
        };
    }
}
