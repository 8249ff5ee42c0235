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
        return url != null ? url : config.baseUrl();
    }

    /** The server at that address, or this process on the data directory when none answers and no --url was given. */
    ServerConnection open(Config config, PrintWriter err) {
        return ServerConnection.open(config, url, err);
    }
}
