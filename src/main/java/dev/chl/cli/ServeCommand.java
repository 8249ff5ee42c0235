package dev.chl.cli;

import dev.chl.app.App;
import dev.chl.app.Config;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chl serve}: runs the server until the process is told to stop. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the CHL server (HTTP API, MCP and console) on CHL_HOST:CHL_PORT.")
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Config config;
        App app;
        try {
            config = Config.fromEnv(main.env());
            app = App.start(config, Clock.systemUTC());
        } catch (Config.ConfigException e) {
            spec.commandLine().getErr().println("chl: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "chl-shutdown"));
        spec.commandLine().getErr().println("CHL is running at http://" + config.host() + ":" + app.port() + " — data in " + config.dataDir()
                + " (Ctrl-C stops it)");
        stopped.await();
        return 0;
    }
}
