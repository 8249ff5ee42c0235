package dev.chl.cli;

import dev.chl.app.Config;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code chl status}: asks the running server how it is and what the library holds. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the health of a running CHL server and what its library holds.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ServerAddress server;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = main.env();
        java.io.PrintWriter out = spec.commandLine().getOut();
        String base = server.baseUrl(Config.fromEnv(env));
        String token = env.get("CHL_API_TOKEN");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        JsonMapper json = JsonMapper.builder().build();
        try {
            HttpResponse<String> healthAnswer = client.send(request(base + "/health", token), HttpResponse.BodyHandlers.ofString());
            JsonNode health = chlJson(json, healthAnswer);
            boolean answered = healthAnswer.statusCode() == 200 || healthAnswer.statusCode() == 503; // ok/degraded, or down
            if (!answered || health == null || !health.path("status").isString()) {
                spec.commandLine().getErr().println("chl: no CHL server answers at " + base + " (/health answered "
                        + healthAnswer.statusCode() + " without CHL's status); check --url or CHL_PORT");
                return 3;
            }
            out.println("server     " + base + "  " + health.path("status").asString());
            health.path("components").properties().forEach(c ->
                    out.println("  " + pad(c.getKey()) + c.getValue().path("status").asString()));
            HttpResponse<String> response = client.send(request(base + "/api/v1/categories", token), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401) {
                out.println(token == null || token.isBlank() ? "library    (set CHL_API_TOKEN to read it: the server requires a token)"
                        : "library    (the server refused CHL_API_TOKEN; use the token it was started with)");
                return 1;
            }
            JsonNode listing = chlJson(json, response);
            if (response.statusCode() != 200 || listing == null || !listing.path("categories").isArray()) {
                // Not "0 categories": a refused or broken answer says nothing about the library.
                JsonNode problem = listing == null ? null : listing.path("detail");
                out.println("library    (not read: the server answered " + response.statusCode()
                        + (problem != null && problem.isString() ? ": " + problem.asString() : "") + ")");
                return 1;
            }
            long experiences = 0;
            long manuals = 0;
            JsonNode categories = listing.path("categories");
            for (JsonNode c : categories) {
                experiences += c.path("experience_count").asLong();
                manuals += c.path("manual_count").asLong();
            }
            out.println("library    " + categories.size() + " categories, " + experiences + " experiences, " + manuals + " manuals");
            return "ok".equals(health.path("status").asString()) ? 0 : 1;
        } catch (ConnectException e) {
            spec.commandLine().getErr().println("chl: no CHL server answers at " + base + "; start one with ./chl serve");
            return 3;
        }
    }

    /** The answer's JSON, or null when it is not JSON (a proxy's page, a redirect's text). */
    private static JsonNode chlJson(JsonMapper json, HttpResponse<String> answer) {
        try {
            return json.readTree(answer.body());
        } catch (tools.jackson.core.JacksonException e) {
            return null;
        }
    }

    private static HttpRequest request(String url, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null && !token.isBlank()) {
            builder.header("Authorization", "Bearer " + token.strip());
        }
        return builder.header("X-CHL-Channel", "cli").GET().build();
    }

    private static String pad(String s) {
        return String.format("%-9s", s);
    }
}
