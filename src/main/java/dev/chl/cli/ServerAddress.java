package dev.chl.cli;

import dev.chl.app.Config;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The {@code --url} option of every command that talks to a running server (a picocli mixin): one name, one default. */
final class ServerAddress {
    @Option(names = "--url", description = "server address (default: from CHL_HOST and CHL_PORT)")
    String url;

    /** The address given, or the one the environment configures. */
    String baseUrl(Config config) {
        return url != null ? given() : config.baseUrl();
    }

    /** The server at that address, or this process on the data directory when none answers and no --url was given. */
    ServerConnection open(Config config, PrintWriter err) {
        return ServerConnection.open(config, url == null ? null : given(), err);
    }

    /**
     * The --url as a base the API paths are appended to: "http://host:8000/" named the same server but made every path
     * "//health" (a 404 that status printed as an empty library).
     */
    private String given() {
        String base = url.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        java.net.URI uri;
        try {
            uri = java.net.URI.create(base);
        } catch (IllegalArgumentException e) {
            throw new ServerConnection.CliException("--url '" + url + "' is not an address; use e.g. http://127.0.0.1:8000");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new ServerConnection.CliException("--url '" + url + "' is not an http(s) address; use e.g. http://127.0.0.1:8000");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ServerConnection.CliException("--url takes the server's address, e.g. " + uri.getScheme() + "://"
                    + uri.getRawAuthority() + ", without '?' or '#' parts");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.endsWith("/mcp") || path.contains("/api/") || path.endsWith("/api") || path.endsWith("/health")) {
            // The MCP endpoint or an API path: every call would go to <that>/api/v1/… and come back 404.
            throw new ServerConnection.CliException("--url takes the server's address, e.g. "
                    + uri.getScheme() + "://" + uri.getRawAuthority() + ", not '" + path + "' on it");
        }
        return base;
    }
}
