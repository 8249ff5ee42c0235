package dev.chl.http;

import java.util.Locale;
import java.util.Set;

/**
 * DNS-rebinding guard for a server bound to loopback without a token: a page on another site whose name resolves to
 * 127.0.0.1 could otherwise reach the API, /mcp and the console as if it were local. Such requests name that other
 * host in their Host header, so only loopback names are answered. It applies whenever no token is set: only a loopback
 * server may run without one (whatever loopback address it binds), and a server with a token needs no such guard.
 */
final class HostCheck {
    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private final boolean enabled;

    HostCheck(boolean tokenRequired) {
        this.enabled = !tokenRequired;
    }

    /** The refusal for a request addressed to {@code hostHeader}, or null when it may go on. */
    RequestChecks.Refusal check(String hostHeader) {
        if (!enabled) {
            return null;
        }
        String host = hostName(hostHeader);
        if (host == null || !LOOPBACK_NAMES.contains(host)) {
            return new RequestChecks.Refusal(421, "Misdirected request", "this server listens on loopback and answers only "
                    + "requests addressed to 127.0.0.1 or localhost; open it by that address", java.util.Map.of());
        }
        return null;
    }

    /** The name part of a Host header ("localhost:8000" → "localhost", "[::1]:8000" → "[::1]"). */
    static String hostName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? null : value.substring(0, end + 1);
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }
}
