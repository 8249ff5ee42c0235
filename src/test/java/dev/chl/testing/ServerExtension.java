package dev.chl.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestServer} for a test class, or a fresh one for each test: started before the class's own
 * {@code @BeforeAll}/{@code @BeforeEach} methods, closed after its {@code @AfterAll}/{@code @AfterEach} ones. It
 * replaces the start/close block most server tests repeated, and deletes the temporary data directory that a
 * {@link TestServer#close()} alone leaves behind.
 *
 * <pre>
 * &#64;RegisterExtension static final ServerExtension server = ServerExtension.perClass();  // or withToken(TOKEN)
 * &#64;RegisterExtension final ServerExtension server = ServerExtension.perTest();
 * </pre>
 *
 * A test that restarts its server or starts one on an existing directory ({@link TestServer#startIn}) manages its own.
 */
public final class ServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final boolean perTest;
    private final String token;
    private TestServer server;

    private ServerExtension(boolean perTest, String token) {
        this.perTest = perTest;
        this.token = token;
    }

    /** One server shared by the tests of the class (register it on a static field). */
    public static ServerExtension perClass() {
        return new ServerExtension(false, null);
    }

    /** A fresh server for each test. */
    public static ServerExtension perTest() {
        return new ServerExtension(true, null);
    }

    /** One server for the class that asks for {@code token} as a Bearer token (register it on a static field). */
    public static ServerExtension withToken(String token) {
        return new ServerExtension(false, token);
    }

    public TestServer server() {
        if (server == null) {
            throw new IllegalStateException("no server: perClass() needs a static field, perTest() runs only around each test");
        }
        return server;
    }

    /** A client of the server, sending its token if it has one. */
    public Http http() {
        return server().http();
    }

    public String baseUrl() {
        return server().baseUrl();
    }

    /** JDBC on the server's database file. */
    public Sqlite db() {
        return Sqlite.of(server());
    }

    /** The shared test steps (categories, entries, search, waiting for embeddings) on {@link #http()}. */
    public ChlApi api() {
        return ChlApi.of(server());
    }

    /** A new console session: each call is another browser, with cookies of its own. */
    public ConsoleClient console() {
        return ConsoleClient.of(server());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!perTest) {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!perTest) {
            stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perTest) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            stop();
        }
    }

    private void start() {
        server = token == null ? TestServer.start() : TestServer.startWithToken(token);
    }

    private void stop() {
        if (server == null) {
            return;
        }
        TestServer stopping = server;
        server = null;
        try {
            stopping.close();
        } finally {
            TempDirs.deleteQuietly(stopping.dataDir());
        }
    }
}
