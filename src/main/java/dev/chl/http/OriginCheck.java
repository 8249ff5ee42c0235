package dev.chl.http;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Cross-site request forgery guard for the API and /mcp. A web page on another site can make a browser send a form,
 * a multipart upload or a text/plain POST to this server without asking first (no CORS preflight), and without a
 * token nothing else would stop it — restoring settings, swapping the index or creating entries. Browsers say where
 * such a request comes from (Origin, Sec-Fetch-Site); scripts, the CLI and MCP clients send neither. So a request that
 * changes something is refused when a browser says it comes from another origin. The console has its own form tokens.
 */
final class OriginCheck {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> OWN_FETCH_SITES = Set.of("same-origin", "none");

    private OriginCheck() {}

    /** The refusal for a request, or null when it may go on. */
    static RequestChecks.Refusal check(String method, UnaryOperator<String> headers) {
        if (SAFE_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            return null;
        }
        String fetchSite = headers.apply("Sec-Fetch-Site");
        if (fetchSite != null && !OWN_FETCH_SITES.contains(fetchSite.strip().toLowerCase(Locale.ROOT))) {
            return refusal("the browser marks it " + fetchSite.strip());
        }
        String origin = headers.apply("Origin");
        if (origin != null && !sameOrigin(origin.strip(), headers.apply("Host"))) {
            return refusal("it comes from " + origin.strip());
        }
        return null;
    }

    /** Whether a browser's Origin names the host (and port) the request was sent to. */
    static boolean sameOrigin(String origin, String host) {
        if (host == null || origin.isEmpty() || origin.equals("null")) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false;
            }
            String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
            String expected = host.strip().toLowerCase(Locale.ROOT);
            return authority.equals(expected) || authority.equals(withDefaultPort(expected, uri.getScheme()))
                    || expected.equals(withDefaultPort(authority, uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String withDefaultPort(String authority, String scheme) {
        if (authority.matches(".*:\\d+$") && !authority.endsWith("]")) {
            return authority;
        }
        return authority + ("https".equalsIgnoreCase(scheme) ? ":443" : ":80");
    }

    private static RequestChecks.Refusal refusal(String why) {
        return new RequestChecks.Refusal(403, "Cross-site request refused", "a web page on another site may not change this "
                + "server (" + why + "); call the API from a script, the CLI or an MCP client, or use the console", Map.of());
    }
}
