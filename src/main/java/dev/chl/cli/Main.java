package dev.chl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chl} command line. */
@Command(name = "chl", mixinStandardHelpOptions = true, version = "chl 0.1.0",
        description = "CHL — Curated Heuristic Loop: a shared, curated memory of engineering heuristics for code assistants.",
        subcommands = {ServeCommand.class, StatusCommand.class, McpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
