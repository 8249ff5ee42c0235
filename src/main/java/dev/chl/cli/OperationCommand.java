package dev.chl.cli;

import dev.chl.app.Config;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** Runs one operation with no options as a job and follows it (reindex, backup). */
final class OperationCommand {
    private OperationCommand() {}

    static int run(String type, ServerAddress address, Main main, CommandSpec spec) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ServerConnection server = address.open(Config.fromEnv(main.env()), err)) {
            JsonNode job = server.post("/api/v1/operations/" + type, Map.of());
            String id = job.path("job_id").asString();
            err.println("chl: " + type + " " + id);
            JsonNode done = new JobFollower(server, err).follow(id);
            JsonNode summary = done.path("result_summary");
            out.println(type + " " + done.path("status").asString() + (summary.isObject() ? ": " + ServerConnection.JSON.writeValueAsString(summary) : ""));
            if (done.path("error").isString()) {
                err.println("chl: " + done.path("error").asString());
            }
            return JobFollower.exitCode(done);
        } catch (ServerConnection.CliException e) {
            err.println("chl: " + e.getMessage());
            return 1;
        }
    }

    /** A command that starts one job type through the server and follows it to the end. */
    abstract static class JobCommand implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Mixin
        ServerAddress address;

        @ParentCommand
        Main main;

        @Spec
        CommandSpec spec;

        abstract String jobType();

        @Override
        public Integer call() throws Exception {
            return run(jobType(), address, main, spec);
        }
    }

    @picocli.CommandLine.Command(name = "reindex", mixinStandardHelpOptions = true, description = "Rebuild the search index from the database (as a job).")
    static final class Reindex extends JobCommand {
        @Override
        String jobType() {
            return "index-rebuild";
        }
    }

    @picocli.CommandLine.Command(name = "backup", mixinStandardHelpOptions = true, description = "Take an online backup of the database into <data>/backups (as a job).")
    static final class Backup extends JobCommand {
        @Override
        String jobType() {
            return "backup";
        }
    }
}
