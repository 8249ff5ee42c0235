package dev.chl.testing;

import dev.chl.app.App;
import dev.chl.app.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** A real CHL server on 127.0.0.1 with a random port and a real SQLite file in a fresh temporary data directory. */
public final class TestServer implements AutoCloseable {
    private final Path dataDir;
    private final String token;
    private App app;

    private TestServer(Path dataDir, String token) {
        this.dataDir = dataDir;
        this.token = token;
        this.app = start(dataDir, token);
    }

    private static App start(Path dataDir, String token) {
        return App.start(new Config(dataDir, "127.0.0.1", 0, token), Clock.systemUTC(), SharedModels::get);
    }

    public static TestServer start() {
        return fresh(null);
    }

    public static TestServer startWithToken(String token) {
        return fresh(token);
    }

    /**
     * A server on a fresh data directory, returned once its start-up index heal (a rebuild job: there is no index yet)
     * has finished: that job holds the index lock, and an import, export or rebuild a test starts at once would get
     * 409 (a fresh-clone run failed on that). Servers on an existing directory ({@link #startIn}) are returned at once,
     * so the heal tests can watch theirs.
     */
    private static TestServer fresh(String token) {
        TestServer server = new TestServer(tempDir(), token);
        Await.until("the start-up index rebuild to finish", java.time.Duration.ofSeconds(60),
                () -> server.app.services().operations().lastRuns().get("index-rebuild"),
                run -> run instanceof java.util.Map<?, ?> job
                        && dev.chl.ops.JobStatus.fromWire("status", String.valueOf(job.get("status"))).finished());
        return server;
    }

    public static TestServer startIn(Path dataDir) {
        return new TestServer(dataDir, null);
    }

    /** Stops the server and starts a new one on the same data directory. */
    public void restart() {
        app.close();
        app = start(dataDir, token);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path databaseFile() {
        return dataDir.resolve("chl.db");
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    public Http http() {
        return new Http(baseUrl(), token);
    }

    public App app() {
        return app;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("chl-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        app.close();
    }
}
