package dev.chl.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Process configuration from the environment. Everything else is a setting stored in the database.
 *
 * @param apiToken null when unset; required for any non-loopback bind
 */
public record Config(Path dataDir, String host, int port, String apiToken, String googleApiRoot) {
    public static final int MIN_TOKEN_LENGTH = 16;
    public static final String GOOGLE_API_ROOT = "https://sheets.googleapis.com/";

    public Config(Path dataDir, String host, int port, String apiToken) {
        this(dataDir, host, port, apiToken, GOOGLE_API_ROOT);
    }

    public static Config fromEnv(Map<String, String> env) {
        String port = orDefault(env, "CHL_PORT", "8000");
        int parsedPort;
        try {
            parsedPort = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("CHL_PORT='" + port + "' is not a port number; use 1–65535, e.g. 8000");
        }
        String token = env.get("CHL_API_TOKEN");
        return new Config(
                Path.of(orDefault(env, "CHL_DATA_DIR", "data")).toAbsolutePath().normalize(),
                orDefault(env, "CHL_HOST", "127.0.0.1"),
                parsedPort,
                token == null || token.isBlank() ? null : token.strip(),
                orDefault(env, "CHL_GOOGLE_API_ROOT", GOOGLE_API_ROOT));
    }

    /**
     * A variable's value, or the default when it is missing or blank: an empty value is what compose files, systemd
     * units and .env templates write for "unset" (an empty CHL_DATA_DIR put the library in the working directory).
     */
    private static String orDefault(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** Refuses settings that would start an unsafe or unusable server, saying how to fix them. */
    public Config validated() {
        if (port < 0 || port > 65535) {
            throw new ConfigException("CHL_PORT=" + port + " is out of range; use 1–65535 (0 picks a free port)");
        }
        if (apiToken != null && apiToken.length() < MIN_TOKEN_LENGTH) {
            throw new ConfigException("CHL_API_TOKEN is too short; use at least " + MIN_TOKEN_LENGTH
                    + " random characters, e.g. the output of: openssl rand -hex 24");
        }
        if (apiToken == null && !isLoopback(host)) {
            throw new ConfigException("refusing to listen on " + host + " without an access token: anyone who can reach it could read and "
                    + "change the library. Set CHL_API_TOKEN (at least " + MIN_TOKEN_LENGTH + " characters), or bind CHL_HOST=127.0.0.1");
        }
        return this;
    }

    public String baseUrl() {
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shownHost + ":" + port;
    }

    static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new ConfigException("CHL_HOST='" + host + "' does not resolve; use an IP address such as 127.0.0.1");
        }
    }

    /** Configuration that cannot work, with the fix in the message. */
    public static final class ConfigException extends RuntimeException {
        private final boolean dataDirectoryInUse;

        public ConfigException(String message) {
            this(message, false);
        }

        ConfigException(String message, boolean dataDirectoryInUse) {
            super(message);
            this.dataDirectoryInUse = dataDirectoryInUse;
        }

        /** Whether another CHL process holds the data directory (a running server, most likely). */
        public boolean dataDirectoryInUse() {
            return dataDirectoryInUse;
        }
    }
}
