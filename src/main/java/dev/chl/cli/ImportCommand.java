package dev.chl.cli;

import dev.chl.app.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code chl import --from FILE [--dry-run]}: upload a published workbook and import it as a job. */
@Command(name = "import", description = "Import a published workbook (.xlsx, or a zip of CSV files). Try --dry-run first.")
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, description = "the workbook file (.xlsx or .zip of CSVs)")
    Path from;

    @Option(names = "--dry-run", description = "check every row and show what would change, without changing anything")
    boolean dryRun;

    @Option(names = "--url", description = "server address (default: from CHL_HOST and CHL_PORT)")
    String url;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(from)) {
            System.err.println("chl: no such file " + from);
            return 2;
        }
        try (ServerConnection server = ServerConnection.open(Config.fromEnv(System.getenv()), url)) {
            JsonNode upload = server.upload(from);
            JsonNode job = server.post("/api/v1/operations/import",
                    Map.of("source", "upload:" + upload.path("upload_id").asString(), "dry_run", dryRun));
            System.err.println("chl: import " + job.path("job_id").asString() + (dryRun ? " (dry run)" : ""));
            JsonNode done = new JobFollower(server, System.err).follow(job.path("job_id").asString());
            JsonNode summary = done.path("result_summary");
            if (!summary.isMissingNode() && !summary.isNull()) {
                System.out.print(Preview.table(summary));
            }
            if (!done.path("error").isNull() && done.path("error").isString()) {
                System.err.println("chl: " + done.path("status").asString() + ": " + done.path("error").asString());
            }
            if (dryRun && !summary.path("valid").asBoolean(true)) {
                return 1;
            }
            return JobFollower.exitCode(done);
        } catch (ServerConnection.CliException e) {
            System.err.println("chl: " + e.getMessage());
            return 1;
        }
    }
}
