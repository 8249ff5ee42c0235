package dev.chl.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.chl.common.ConflictException;
import dev.chl.common.FieldError;
import dev.chl.common.NotFoundException;
import dev.chl.common.ValidationException;
import dev.chl.http.JsonBodies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The http-mode library against a scripted server: the server's answers (4xx above all) are the caller's errors and are
 * never retried; only transport failures are, with backoff, then a breaker fails fast for a while.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteLibraryTest {
    private HttpServer server;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private volatile int status = 200;
    private volatile String body = "{}";

    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            return values == null ? null : values.getFirst();
        }
    }

    private String startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                    Map.copyOf(exchange.getRequestHeaders()), sent));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status < 300 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private RemoteLibrary library(String baseUrl, String token) {
        return new RemoteLibrary(baseUrl, token, JsonBodies.appJson());
    }

    private void answer(int status, String body) {
        this.status = status;
        this.body = body;
    }

    @Test
    void aValidationProblemBecomesTheSameFieldErrorsAtOnceWithoutRetry() throws IOException {
        RemoteLibrary remote = library(startServer(), null);
        answer(422, """
                {"type":"about:blank","title":"Invalid input","status":422,"detail":"2 fields are invalid",
                 "errors":[{"field":"title","message":"is required"},{"field":"section","message":"'x' is not allowed"}]}""");
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> remote.create("some-agent", "experience", Map.of("category_code", "ABC", "section", "x")));
        assertThat(e.errors()).extracting(FieldError::field, FieldError::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("title", "is required"),
                        org.assertj.core.groups.Tuple.tuple("section", "'x' is not allowed"));
        assertThat(requests).as("a 4xx is the caller's error: one request, no retry").hasSize(1);

        Request sent = requests.peek();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/api/v1/experiences");
        assertThat(sent.header("X-CHL-Channel")).isEqualTo("mcp");
        assertThat(sent.header("X-CHL-Actor")).isEqualTo("some-agent");
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        assertThat(sent.header("Authorization")).isNull();
        assertThat(sent.body()).contains("\"category_code\":\"ABC\"");

        // Many 4xx in a row never open the breaker: the server is there, the input is wrong. Each answers without backoff
        // (a retry would wait 200 ms, then 400 ms).
        for (int i = 0; i < RemoteLibrary.BREAKER_THRESHOLD + 2; i++) {
            long start = System.nanoTime();
            assertThat(catchThrowable(() -> remote.create("some-agent", "experience", Map.of()))).isInstanceOf(ValidationException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("no backoff")
                    .isLessThan(RemoteLibrary.FIRST_BACKOFF.toMillis() * 3);
        }
        assertThat(requests).hasSize(RemoteLibrary.BREAKER_THRESHOLD + 3);
    }

    @Test
    void anyClientNameCanWriteEvenWhenAnHttpHeaderCannotCarryIt() throws IOException {
        // MCP clients name themselves freely; a header carries printable Latin-1 only.
        RemoteLibrary remote = library(startServer(), null);
        answer(201, "{\"entry\":{\"id\":\"EXP-ABC-20260101-000000000\"}}");
        for (String name : List.of("编程助手 (coding assistant)", "two\nlines", "Zéd")) {
            assertThat(remote.create(name, "experience", Map.of("title", "t"))).as("created as %s", name).containsKey("entry");
        }
        assertThat(requests).extracting(r -> r.header("X-CHL-Actor"))
                .containsExactly("???? (coding assistant)", "two?lines", "Z?d");
        answer(200, "{\"id\":\"EXP-ABC-20260101-000000000\"}");
        assertThat(remote.update("\u0000\u0001", "experience", "EXP-ABC-20260101-000000000", Map.of("title", "t"), null)).containsKey("id");
        assertThat(requests).last().extracting(r -> r.header("X-CHL-Actor")).isEqualTo("??");
    }

    @Test
    void eachProblemStatusMapsToItsKindOfError() throws IOException {
        RemoteLibrary remote = library(startServer(), "0123456789abcdef-token");
        answer(400, "{\"status\":400,\"detail\":\"the body is not JSON\"}");
        ValidationException badRequest = catchThrowableOfType(ValidationException.class, () -> remote.duplicates(Map.of("kind", "experience")));
        assertThat(badRequest.errors()).extracting(FieldError::field, FieldError::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("request", "the body is not JSON"));

        answer(404, "{\"status\":404,\"detail\":\"no experience with id 'EXP-ABC-20260101-000000000'\"}");
        assertThat(catchThrowable(() -> remote.entry("EXP-ABC-20260101-000000000")))
                .isInstanceOf(NotFoundException.class).hasMessage("no experience with id 'EXP-ABC-20260101-000000000'");

        answer(409, "{\"status\":409,\"detail\":\"changed after the version you edited\",\"updated_at\":\"2026-01-02T00:00:00.000Z\"}");
        ConflictException conflict = catchThrowableOfType(ConflictException.class,
                () -> remote.update("a", "manual", "MNL-ABC-20260101-000000000", Map.of("title", "t"), java.time.Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(conflict).hasMessage("changed after the version you edited");
        assertThat(conflict.extensions()).as("the current version travels with the conflict")
                .containsExactly(Map.entry("updated_at", "2026-01-02T00:00:00.000Z"));
        assertThat(requests).last().extracting(r -> r.header("If-Match"))
                .as("the version read goes as the API's If-Match ETag").isEqualTo("\"2026-01-01T00:00:00.000Z\"");

        answer(401, "{\"status\":401,\"detail\":\"needs a token\"}");
        assertThat(catchThrowable(remote::categories)).isInstanceOf(ToolFailure.class).hasMessageContaining("CHL_API_TOKEN");

        answer(503, "<html>gateway</html>");
        assertThat(catchThrowable(() -> remote.search("q", "experience", null, 5)))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("503");

        assertThat(requests).as("no answer of the server is retried").hasSize(5);
        assertThat(requests).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer 0123456789abcdef-token"));
        assertThat(requests).extracting(Request::method, Request::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POST", "/api/v1/search/duplicates"),
                org.assertj.core.groups.Tuple.tuple("GET", "/api/v1/experiences/EXP-ABC-20260101-000000000"),
                org.assertj.core.groups.Tuple.tuple("PATCH", "/api/v1/manuals/MNL-ABC-20260101-000000000"),
                org.assertj.core.groups.Tuple.tuple("GET", "/api/v1/categories"),
                org.assertj.core.groups.Tuple.tuple("POST", "/api/v1/search"));
    }

    @Test
    void readsGoToTheApiPathsWithEncodedParameters() throws IOException {
        RemoteLibrary remote = library(startServer(), null);
        answer(200, "{\"items\":[],\"next_cursor\":null}");
        assertThat(remote.listByCategory("manual", "ABC", 7)).containsEntry("items", List.of());
        answer(200, "{\"id\":\"MNL-ABC-20260101-000000000-x1\"}");
        assertThat(remote.entry("MNL-ABC-20260101-000000000-x1")).containsEntry("id", "MNL-ABC-20260101-000000000-x1");
        assertThat(requests).extracting(Request::path)
                .containsExactly("/api/v1/manuals?category=ABC&limit=7", "/api/v1/manuals/MNL-ABC-20260101-000000000-x1");
        assertThat(catchThrowable(() -> remote.entry("nonsense"))).isInstanceOf(NotFoundException.class).hasMessageContaining("not an entry id");
        assertThat(requests).as("a malformed id never reaches the server").hasSize(2);
    }

    @Test
    void categoriesAreReadFreshEveryTime() throws IOException {
        RemoteLibrary remote = library(startServer(), null);
        answer(200, "{\"categories\":[{\"code\":\"ABC\",\"experience_count\":1,\"manual_count\":0}]}");
        assertThat(remote.categories()).hasSize(1);
        // Another door adds a shelf: the next read sees it (a cached copy refused it for seconds).
        answer(200, "{\"categories\":[{\"code\":\"ABC\",\"experience_count\":5,\"manual_count\":0},{\"code\":\"NEW\"}]}");
        assertThat(remote.categories()).hasSize(2);
        assertThat(requests).hasSize(2);
    }

    /**
     * A port that accepts connections and closes them without an answer, counting them: every request fails in
     * transport. With {@code readFirst} it reads each request whole before closing, as a server that saved the entry
     * and died would; without, it slams the door at once (reset).
     */
    private static final class RudePort implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();

        RudePort(boolean readFirst) {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        if (readFirst) {
                            readWhatIsSent(s);
                        } else {
                            s.setSoLinger(true, 0);
                        }
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private static void readWhatIsSent(Socket s) throws IOException {
            s.setSoTimeout(300);
            try {
                while (s.getInputStream().read(new byte[8192]) >= 0) {
                    // until the client has sent everything
                }
            } catch (java.net.SocketTimeoutException sent) {
                // all of it is here
            }
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void transportFailuresAreRetriedWithBackoffThenTellTheUserToStartTheServer() throws IOException {
        try (RudePort port = new RudePort(false)) {
            RemoteLibrary remote = library(port.url(), null);
            long start = System.nanoTime();
            Throwable thrown = catchThrowable(() -> remote.search("q", "experience", null, 5));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(thrown).isInstanceOf(ToolFailure.class).hasMessageContaining("not reachable")
                    .hasMessageContaining("chl serve").hasMessageContaining("--mode direct").hasMessageContaining(port.url());
            // The JDK's HTTP client may itself retry a reset connection once per attempt.
            assertThat(port.connections.get()).as("attempts").isBetween(RemoteLibrary.ATTEMPTS, 2 * RemoteLibrary.ATTEMPTS);
            long backoff = RemoteLibrary.FIRST_BACKOFF.toMillis() * 3; // 200 ms, then 400 ms
            assertThat(millis).as("backed off between attempts").isGreaterThanOrEqualTo(backoff).isLessThan(10_000);
        }
    }

    @Test
    void aCreateOrUpdateThatReachedTheServerIsNotSentAgainAndSaysTheOutcomeIsUnknown() throws IOException {
        try (RudePort port = new RudePort(true)) {
            RemoteLibrary remote = library(port.url(), null);
            Throwable create = catchThrowable(() -> remote.create("a", "experience", Map.of("title", "t")));
            assertThat(create).isInstanceOf(ToolFailure.class).hasMessageContaining("may or may not have been saved")
                    .hasMessageContaining("read_entries");
            assertThat(port.connections.get()).as("sent once").isEqualTo(1);
            Throwable update = catchThrowable(() -> remote.update("a", "experience", "EXP-ABC-20260101-000000000", Map.of("title", "t"), null));
            assertThat(update).isInstanceOf(ToolFailure.class).hasMessageContaining("after the update was sent");
            assertThat(port.connections.get()).as("sent once").isEqualTo(2);
        }
    }

    @Test
    void aCreateThatNeverReachedTheServerIsTriedAgain() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RemoteLibrary remote = library("http://127.0.0.1:" + port, null);
        long start = System.nanoTime();
        assertThat(catchThrowable(() -> remote.create("a", "experience", Map.of("title", "t"))))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("not reachable").hasMessageContaining("chl serve");
        // Refused connections: nothing was sent, so every attempt was made, with the backoff between them (200 + 400 ms).
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("tried again")
                .isGreaterThanOrEqualTo(RemoteLibrary.FIRST_BACKOFF.toMillis() * 3);
    }

    @Test
    void afterRepeatedTransportFailuresTheBreakerFailsFastThenLetsCallsThroughAgain() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RemoteLibrary remote = library("http://127.0.0.1:" + port, null);
        for (int i = 0; i < RemoteLibrary.BREAKER_THRESHOLD; i++) {
            assertThat(catchThrowable(() -> remote.entry("EXP-ABC-20260101-000000000")))
                    .isInstanceOf(ToolFailure.class).hasMessageContaining("not reachable");
        }
        // Now the server is there, but the breaker is open: the next call fails at once without trying.
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        AtomicInteger hits = new AtomicInteger();
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            byte[] bytes = "{\"categories\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        long start = System.nanoTime();
        Throwable open = catchThrowable(remote::categories);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("fails fast").isLessThan(100);
        assertThat(open).isInstanceOf(ToolFailure.class).hasMessageContaining("chl serve").hasMessageContaining("unreachable moments ago");
        assertThat(hits.get()).isZero();

        Thread.sleep(RemoteLibrary.BREAKER_OPEN.toMillis() + 200);
        assertThat(remote.categories()).as("the breaker closes again after a while").isEmpty();
        assertThat(hits.get()).isEqualTo(1);
    }
}
