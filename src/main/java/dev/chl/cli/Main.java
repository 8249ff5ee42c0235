package dev.chl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chl} command line. */
@Command(name = "chl", mixinStandardHelpOptions = true, version = "chl 0.1.0",
        description = "CHL — Curated Heuristic Loop: a shared, curated memory of engineering heuristics for code assistants.",
        subcommands = {ServeCommand.class, StatusCommand.class, McpCommand.class, ImportCommand.class,
                ExportCommand.class, OperationCommand.Reindex.class, OperationCommand.Backup.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        // A failure is reported as one line that says what went wrong, not as a stack trace.
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("chl: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("")));
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
