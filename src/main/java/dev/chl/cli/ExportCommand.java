package dev.chl.cli;

import dev.chl.app.Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code chl export --to out.xlsx|out.zip}: export the library for review as a job and save the file. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export the library for review: out.xlsx (a workbook) or out.zip (CSV files).")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--to", required = true, description = "where to save: a path ending in .xlsx or .zip")
    Path to;

    @Mixin
    ServerAddress address;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = to.getFileName().toString().toLowerCase(Locale.ROOT);
        String target = name.endsWith(".xlsx") ? "xlsx" : name.endsWith(".zip") ? "csv" : null;
        if (target == null) {
            err.println("chl: --to must end in .xlsx (a workbook) or .zip (CSV files)");
            return 2;
        }
        Path folder = to.toAbsolutePath().getParent();
        if (!java.nio.file.Files.isDirectory(folder) || !java.nio.file.Files.isWritable(folder)) {
            // checked before the export runs: a finished export with nowhere to save it is wasted work
            err.println("chl: cannot save to " + to + ": " + folder + " is not a folder this user can write to");
            return 2;
        }
        try (ServerConnection server = address.open(Config.fromEnv(main.env()), err)) {
            JsonNode job = server.post("/api/v1/operations/export", Map.of("target", target));
            String id = job.path("job_id").asString();
            err.println("chl: export " + id);
            JsonNode done = new JobFollower(server, err).follow(id);
            if (!"succeeded".equals(done.path("status").asString())) {
                err.println("chl: export " + done.path("status").asString() + ": " + done.path("error").asString(""));
                return JobFollower.exitCode(done);
            }
            server.download("/api/v1/operations/jobs/" + id + "/download", to);
            JsonNode s = done.path("result_summary");
            out.printf("exported %d categories, %d experiences, %d manuals to %s%n", s.path("categories").asLong(),
                    s.path("experiences").asLong(), s.path("manuals").asLong(), to);
            return 0;
        } catch (ServerConnection.CliException e) {
            err.println("chl: " + e.getMessage());
            return 1;
        }
    }
}
