package dev.chl.cli;

import dev.chl.app.App;
import dev.chl.app.Config;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How CLI operations reach CHL: through the running server when one answers (so locks and job history hold for every
 * client), otherwise through a server started in this process on the data directory for the length of the command.
 */
final class ServerConnection implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String token;
    private final App embedded;

    private ServerConnection(String base, String token, App embedded) {
        this.base = base;
        this.token = token;
        this.embedded = embedded;
    }

    /** Connects to the server at {@code url} (or the configured one); {@code err} hears about the in-process fallback. */
    static ServerConnection open(Config config, String url, java.io.PrintWriter err) {
        String base = url != null ? url : config.baseUrl();
        if (answers(base)) {
            return new ServerConnection(base, config.apiToken(), null);
        }
        if (url != null) {
            throw new CliException("no CHL server answers at " + url + "; start it with ./chl serve, or leave out --url to work on "
                    + config.dataDir() + " directly");
        }
        err.println("chl: no server at " + base + "; running on " + config.dataDir() + " in this process");
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        App app = App.start(new Config(config.dataDir(), "127.0.0.1", 0, null), Clock.systemUTC());
        return new ServerConnection("http://127.0.0.1:" + app.port(), null, app);
    }

    String base() {
        return base;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return answer(send(request(path).GET().build()));
    }

    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return answer(send(b.build()));
    }

    /** Uploads a file as multipart field {@code file}. */
    JsonNode upload(Path file) throws IOException, InterruptedException {
        long size = Files.size(file);
        if (size > dev.chl.exchange.Uploads.MAX_BYTES) {
            // Refused before reading it: the server refuses it anyway, and a file past 2 GB cannot even be read whole.
            throw new CliException(file + " is " + (size >> 20) + " MB, more than the " + (dev.chl.exchange.Uploads.MAX_BYTES >> 20)
                    + " MB an upload may be; split the library into smaller workbooks");
        }
        String boundary = "chl-" + UUID.randomUUID();
        List<byte[]> parts = new ArrayList<>();
        parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.getFileName()
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        parts.add(Files.readAllBytes(file));
        parts.add(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest r = request("/api/v1/uploads").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts)).build();
        return answer(send(r));
    }

    /**
     * Saves a download at {@code target}: streamed into a temporary file beside it and moved into place when complete, so
     * a failure never leaves a cut file there (nor destroys one already there); a failure to write here is said as one.
     */
    void download(String path, Path target) throws IOException, InterruptedException {
        Path folder = target.toAbsolutePath().getParent();
        Path partial;
        try {
            // createFile, not createTempFile: a temporary file is private (0600), and the move would keep that mode.
            partial = Files.createFile(folder.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".partial"));
        } catch (IOException e) {
            throw new CliException("cannot save to " + target + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        try {
            HttpResponse<java.io.InputStream> r = reach(() -> client.send(request(path).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream()));
            try (java.io.InputStream body = r.body()) {
                if (r.statusCode() != 200) {
                    throw new CliException(problem(r.statusCode(), new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
                }
                copy(body, partial, target);
            }
            try {
                Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new CliException("cannot save to " + target + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Copies the download, telling the server's failures (reading) from this machine's (writing) by where they happen. */
    private void copy(java.io.InputStream body, Path partial, Path target) throws InterruptedException {
        byte[] buffer = new byte[64 * 1024];
        try (java.io.OutputStream out = Files.newOutputStream(partial)) {
            while (true) {
                int n = reach(() -> body.read(buffer));
                if (n < 0) {
                    return;
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new CliException("cannot save to " + target + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); the export itself succeeded on the server and can be downloaded again");
        }
    }

    HttpResponse<java.io.InputStream> events(String topics) throws IOException, InterruptedException {
        return client.send(request("/api/v1/events?topics=" + topics).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10))
                .header("X-CHL-Channel", "cli")
                .header("X-CHL-Actor", System.getProperty("user.name", "cli"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest request) throws InterruptedException {
        return reach(() -> client.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private interface Call<T> {
        T run() throws IOException, InterruptedException;
    }

    /** A server that stops answering mid-command is said in words (the JDK's ConnectException has no message). */
    private <T> T reach(Call<T> call) throws InterruptedException {
        try {
            return call.run();
        } catch (IOException e) {
            throw new CliException("the CHL server at " + base + " stopped answering (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); a job it was running shows its outcome under "
                    + "/api/v1/operations/jobs once the server is back");
        }
    }

    private static JsonNode answer(HttpResponse<String> r) {
        if (r.statusCode() >= 300) {
            throw new CliException(problem(r.statusCode(), r.body()));
        }
        return JSON.readTree(r.body());
    }

    private static String problem(int status, String body) {
        try {
            JsonNode p = JSON.readTree(body);
            String detail = p.path("detail").asString("the server answered " + status);
            StringBuilder text = new StringBuilder(detail);
            for (JsonNode e : p.path("errors")) {
                String message = e.path("message").asString();
                if (!detail.contains(message)) { // a one-error problem's detail often is that error already
                    text.append("\n  ").append(e.path("field").asString()).append(": ").append(message);
                }
            }
            return text.toString();
        } catch (RuntimeException e) {
            return "the server answered " + status;
        }
    }

    /** One client for every probe (a client has threads of its own; auto mode probes repeatedly). */
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    /** Whether a CHL server answers /health at {@code base} within a couple of seconds. */
    static boolean answers(String base) {
        try {
            return PROBE.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }

    /** A failure to report to the user as is, without a stack trace. */
    static final class CliException extends RuntimeException {
        CliException(String message) {
            super(message);
        }
    }
}
