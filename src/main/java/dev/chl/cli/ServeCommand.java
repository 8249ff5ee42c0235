package dev.chl.cli;

import dev.chl.app.App;
import dev.chl.app.Config;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** {@code chl serve}: runs the server until the process is told to stop. */
@Command(name = "serve", description = "Start the CHL server (HTTP API, MCP and console) on CHL_HOST:CHL_PORT.")
final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() throws InterruptedException {
        Config config;
        App app;
        try {
            config = Config.fromEnv(System.getenv());
            app = App.start(config, Clock.systemUTC());
        } catch (Config.ConfigException e) {
            System.err.println("chl: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "chl-shutdown"));
        System.err.println("CHL is running at http://" + config.host() + ":" + app.port() + " — data in " + config.dataDir()
                + " (Ctrl-C stops it)");
        stopped.await();
        return 0;
    }
}
