package dev.chl.cli;

import dev.chl.app.App;
import dev.chl.app.Config;
import dev.chl.mcp.McpServers;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chl mcp}: MCP over stdio for clients that spawn a process. stdout belongs to the protocol; logs go to stderr. */
@Command(name = "mcp", mixinStandardHelpOptions = true, description = "Serve MCP over stdin/stdout (for assistants that spawn a process).")
final class McpCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(McpCommand.class);

    enum Mode { HTTP, AUTO, DIRECT }

    @Option(names = "--mode", description = "http: forward to a running server; direct: open the data directory here; "
            + "auto (default): the server when it answers, else direct. Env: CHL_MCP_MODE.")
    String mode;

    @Mixin
    ServerAddress server;

    @picocli.CommandLine.ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = main.env();
        Config config = Config.fromEnv(env);
        Mode chosen = parse(mode != null ? mode : env.getOrDefault("CHL_MCP_MODE", "auto"));
        String base = server.baseUrl(config);
        boolean auto = chosen == Mode.AUTO;
        if (auto) {
            // An explicit --url names the library to use: never swap in a private one here because it did not answer
            // at start (the tools say it is unreachable until it does).
            chosen = server.url != null || ServerConnection.answers(base) ? Mode.HTTP : Mode.DIRECT;
        }
        App app = null;
        if (chosen == Mode.DIRECT) {
            LOG.info("chl mcp: direct mode, using the data directory {}", config.dataDir());
            try {
                app = App.startWithoutHttp(config, Clock.systemUTC());
            } catch (Config.ConfigException e) {
                // Another process holds the directory: a server slow to answer /health (busy, collecting garbage) is
                // used once it answers; anything else (a CLI command, another direct session) is the error it was.
                if (!auto || !e.dataDirectoryInUse() || !answersWithin(base, HOLDER_WAIT)) {
                    throw e;
                }
                LOG.info("chl mcp: the data directory is held by the CHL server at {}, forwarding to it", base);
                chosen = Mode.HTTP;
            }
        }
        if (chosen == Mode.HTTP) {
            LOG.info("chl mcp: http mode, forwarding every call to {}", base);
            McpServers.serveStdioRemote(base, config.apiToken(), System.in, System.out);
            return 0;
        }
        // MCP clients end a stdio server by closing its stdin and, a moment later, SIGTERM: close the data directory
        // (commit the index, stop the workers) on either, and only once.
        Runnable close = closeOnce(app);
        Thread hook = new Thread(close, "chl-mcp-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            App.Services s = app.services();
            McpServers.serveStdioDirect(s.categories(), s.entries(), s.search(),
                    "direct mode: this process opened the data directory " + config.dataDir(), System.in, System.out);
        } finally {
            close.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook has run or is running; close is done either way
            }
        }
        return 0;
    }

    /** Closes the app the first time it runs; a second caller waits until that close has finished. */
    private static Runnable closeOnce(App app) {
        Object lock = new Object();
        boolean[] closed = {false};
        return () -> {
            synchronized (lock) {
                if (!closed[0]) {
                    closed[0] = true;
                    app.close();
                }
            }
        };
    }

    private static Mode parse(String value) {
        try {
            return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new McpCommand()),
                    "unknown mode '" + value + "'; use http, auto or direct");
        }
    }

    /** How long auto mode waits for a server that holds the data directory to answer /health. */
    static final Duration HOLDER_WAIT = Duration.ofSeconds(10);

    private static boolean answersWithin(String base, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (ServerConnection.answers(base)) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

}
