package dev.chl.http;

import io.javalin.config.JavalinConfig;

/** One adapter's share of the HTTP server: its routes (and, rarely, server settings such as a mounted servlet). */
@FunctionalInterface
public interface HttpModule {
    void register(JavalinConfig config);
}
