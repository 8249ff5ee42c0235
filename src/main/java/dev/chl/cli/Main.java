package dev.chl.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chl} command line. */
@Command(name = "chl", mixinStandardHelpOptions = true, version = "chl 0.1.0",
        description = "CHL — Curated Heuristic Loop: a shared, curated memory of engineering heuristics for code assistants.",
        subcommands = {ServeCommand.class, StatusCommand.class, McpCommand.class, ImportCommand.class,
                ExportCommand.class, OperationCommand.Reindex.class, OperationCommand.Backup.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;

    Main(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(commandLine(System.getenv()), args));
    }

    /**
     * Runs a command and flushes its out and err writers: System.exit does not, and a PrintWriter flushes by itself
     * only on println, so whatever a command printed with print (the import preview) was lost.
     */
    static int run(CommandLine cli, String[] args) {
        int code;
        try {
            code = cli.execute(args);
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
        // A PrintWriter swallows write errors: a preview saved to a full disk must not exit 0 as if it were saved.
        if (cli.getOut().checkError()) {
            System.err.println("chl: the output could not be written (a full disk, or a closed pipe?)");
            return code == 0 ? 1 : code;
        }
        return code;
    }

    /**
     * The command line over {@code env} (the process environment, or a test's), with its error handling. Commands
     * write to the command line's out and err writers.
     */
    static CommandLine commandLine(Map<String, String> env) {
        CommandLine cli = new CommandLine(new Main(env)).setCaseInsensitiveEnumValuesAllowed(true);
        // A failure is reported as one line that says what went wrong, not as a stack trace.
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("chl: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("")));
            return 1;
        });
        return cli;
    }

    Map<String, String> env() {
        return env;
    }

    /** {@code chl} without a command: the usage, and the exit code of a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
