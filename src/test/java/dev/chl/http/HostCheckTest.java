package dev.chl.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chl.testing.ServerExtension;
import dev.chl.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A loopback server answers only requests addressed to a loopback name (DNS-rebinding guard). */
class HostCheckTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.perClass();
    private static int port;

    @BeforeAll
    static void port() {
        port = server.server().app().port();
    }

    @Test
    void loopbackNamesAreAnswered() throws IOException {
        assertThat(statusFor("127.0.0.1:" + port, "/api/v1/categories")).isEqualTo(200);
        assertThat(statusFor("localhost:" + port, "/api/v1/categories")).isEqualTo(200);
        assertThat(statusFor("LOCALHOST", "/health")).isEqualTo(200);
    }

    @Test
    void anotherNameResolvingHereIsRefusedOnTheApiAndTheConsole() throws IOException {
        assertThat(statusFor("evil.example:" + port, "/api/v1/categories")).isEqualTo(421);
        assertThat(statusFor("evil.example", "/settings")).isEqualTo(421);
        assertThat(statusFor("127.0.0.1.evil.example:" + port, "/api/v1/categories")).isEqualTo(421);
        assertThat(statusFor("", "/api/v1/categories")).isIn(400, 421);
    }

    @Test
    void theMcpEndpointIsGuardedLikeTheRest() throws IOException {
        // /mcp is a servlet beside Javalin's routes: it used to answer (and create entries) for any Host.
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"evil\",\"version\":\"1\"}}}";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: evil.example:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nContent-Length: " + initialize.length()
                    + "\r\nConnection: close\r\n\r\n" + initialize).getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 421").contains("application/problem+json").contains("127.0.0.1 or localhost");
        }
    }

    @Test
    void withATokenTheTokenIsTheGuardAndAnyHostNameIsAnswered() throws IOException {
        try (TestServer withToken = TestServer.startWithToken("a-token-of-sixteen-chars")) {
            int tokenPort = withToken.app().port();
            try (Socket socket = new Socket("127.0.0.1", tokenPort)) {
                socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: chl.team.example\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(status).endsWith("200");
            }
        }
    }

    @Test
    void hostNamesAreReadWithoutPortAndCase() {
        assertThat(HostCheck.hostName("LocalHost:8000")).isEqualTo("localhost");
        assertThat(HostCheck.hostName("[::1]:8000")).isEqualTo("[::1]");
        assertThat(HostCheck.hostName("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(HostCheck.hostName(" ")).isNull();
    }

    /** Sends a raw request: HTTP clients will not let a test choose the Host header. */
    private static int statusFor(String host, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
