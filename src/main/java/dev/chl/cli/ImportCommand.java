package dev.chl.cli;

import dev.chl.app.Config;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code chl import --from FILE [--dry-run]}: upload a published workbook and import it as a job. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import a published workbook (.xlsx, or a zip of CSV files). Try --dry-run first.")
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, description = "the workbook file (.xlsx or .zip of CSVs)")
    Path from;

    @Option(names = "--dry-run", description = "check every row and show what would change, without changing anything")
    boolean dryRun;

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
        if (!Files.isRegularFile(from)) {
            err.println("chl: no such file " + from);
            return 2;
        }
        try (ServerConnection server = address.open(Config.fromEnv(main.env()), err)) {
            JsonNode upload = server.upload(from);
            JsonNode job = server.post("/api/v1/operations/import",
                    Map.of("source", "upload:" + upload.path("upload_id").asString(), "dry_run", dryRun));
            err.println("chl: import " + job.path("job_id").asString() + (dryRun ? " (dry run)" : ""));
            JsonNode done = new JobFollower(server, err).follow(job.path("job_id").asString());
            JsonNode summary = done.path("result_summary");
            if (!summary.isMissingNode() && !summary.isNull()) {
                out.print(Preview.table(summary));
            }
            if (!done.path("error").isNull() && done.path("error").isString()) {
                err.println("chl: " + done.path("status").asString() + ": " + done.path("error").asString());
            }
            if (dryRun && !summary.path("valid").asBoolean(true)) {
                return 1;
            }
            return JobFollower.exitCode(done);
        } catch (ServerConnection.CliException e) {
            err.println("chl: " + e.getMessage());
            return 1;
        }
    }
}
