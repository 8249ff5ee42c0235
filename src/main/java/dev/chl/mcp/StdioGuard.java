package dev.chl.mcp;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands between the process's stdin/stdout and the SDK's stdio transport, for two reasons:
 * <ul>
 * <li>the SDK (2.1.0) stops reading for good at the first line it cannot take as a JSON-RPC message — a blank line,
 * {@code not json}, a batch, an id of null — and the session is dead while the process lives on. Such lines get
 * their JSON-RPC error (-32700 parse error, -32600 invalid request) here and never reach it;</li>
 * <li>MCP's stdio shutdown is the client closing stdin and waiting for the process to exit: requests already received
 * are answered before the SDK is told that stdin ended (within {@code drainLimit}), so a piped
 * {@code printf … | chl mcp} gets every answer and a create sent just before the end is not cut off.</li>
 * </ul>
 */
final class StdioGuard {
    private static final Logger LOG = LoggerFactory.getLogger(StdioGuard.class);
    private static final byte[] END = new byte[0];
    /** The longest line the SDK's stdio reader takes (16 Mi characters). */
    static final int MAX_LINE_CHARS = 16 * 1024 * 1024;

    private final InputStream in;
    private final OutputStream out;
    private final JsonMapper json;
    private final Duration drainLimit;
    private final BlockingQueue<byte[]> toSdk = new LinkedBlockingQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Ids (as JSON text) of requests passed on and not answered yet, with how many carry each; guarded by itself. */
    private final Map<String, Integer> unanswered = new HashMap<>();
    /** Set once stdout fails (the client is gone): nothing more will be answered, so nothing is waited for. */
    private volatile boolean outputGone;

    StdioGuard(InputStream in, OutputStream out, JsonMapper json, Duration drainLimit) {
        this.in = in;
        this.out = out;
        this.json = json;
        this.drainLimit = drainLimit;
    }

    /** What the SDK reads: the well-formed lines of stdin, then its end once every request has its answer. */
    InputStream sdkInput() {
        return new InputStream() {
            private byte[] chunk = new byte[0];
            private int at;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (chunk != END && at == chunk.length) {
                    try {
                        chunk = toSdk.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while waiting for stdin");
                    }
                    at = 0;
                }
                if (chunk == END) {
                    toSdk.offer(END); // every later read sees the end too
                    return -1;
                }
                int n = Math.min(len, chunk.length - at);
                System.arraycopy(chunk, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    /** What the SDK writes: whole lines to stdout, one writer at a time, noting which requests are answered. */
    OutputStream sdkOutput() {
        return new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) throws IOException {
                line.write(b);
                if (b == '\n') {
                    emit();
                }
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                for (int i = off; i < off + len; i++) {
                    write(b[i]);
                }
            }

            @Override
            public synchronized void flush() throws IOException {
                if (line.size() > 0) {
                    emit();
                }
            }

            private void emit() throws IOException {
                byte[] bytes = line.toByteArray();
                line.reset();
                noteAnswered(bytes);
                writeOut(bytes);
            }
        };
    }

    /** Starts reading stdin on a thread of its own. */
    void start() {
        Thread.ofPlatform().daemon().name("mcp-stdin").start(this::pump);
    }

    /** Returns once stdin has ended and the requests received before it are answered (or the drain limit passed). */
    void awaitFinished() throws InterruptedException {
        finished.await();
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                accept(line);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("reading stdin failed; ending the MCP session", e);
        } finally {
            awaitAnswers();
            toSdk.offer(END);
            finished.countDown();
        }
    }

    /** Passes a well-formed message on; answers anything else with its JSON-RPC error. */
    void accept(String line) {
        if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
            line = line.substring(1); // a byte-order mark some shells put first (RFC 8259 lets a parser ignore it)
        }
        if (line.isBlank()) {
            return; // an empty line between messages is not a message
        }
        if (line.length() > MAX_LINE_CHARS) {
            // The SDK's reader dies on a line over its limit; the message is not read, so its id is not known.
            reply(null, io.modelcontextprotocol.spec.McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: a message is at most " + MAX_LINE_CHARS + " characters; this one has "
                    + line.length());
            return;
        }
        JsonNode message;
        try {
            message = json.readTree(line);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            reply(null, io.modelcontextprotocol.spec.McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: a line is not one JSON value" + where + "; send one JSON-RPC message per line");
            return;
        }
        String problem = JsonRpcShape.problem(message);
        if (problem != null) {
            reply(JsonRpcShape.replyId(message), io.modelcontextprotocol.spec.McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: " + problem);
            return;
        }
        if (JsonRpcShape.isRequest(message)) {
            synchronized (unanswered) {
                unanswered.merge(message.get("id").toString(), 1, Integer::sum);
            }
        }
        toSdk.offer((line.strip() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void reply(JsonNode id, int code, String message) {
        try {
            writeOut((json.writeValueAsString(JsonRpcShape.error(id, code, message)) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("could not write a JSON-RPC error to stdout", e);
        }
    }

    private void writeOut(byte[] bytes) throws IOException {
        try {
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            outputGone = true;
            synchronized (unanswered) {
                unanswered.notifyAll();
            }
            throw e;
        }
    }

    private void noteAnswered(byte[] line) {
        synchronized (unanswered) {
            if (unanswered.isEmpty()) {
                return; // nothing waits for an answer: no need to read this one (it can be megabytes)
            }
        }
        JsonNode message;
        try {
            message = json.readTree(line);
        } catch (JacksonException e) {
            return;
        }
        if (JsonRpcShape.isResponse(message)) {
            synchronized (unanswered) {
                unanswered.computeIfPresent(message.get("id").toString(), (id, n) -> n > 1 ? n - 1 : null);
                unanswered.notifyAll();
            }
        }
    }

    private void awaitAnswers() {
        long deadline = System.nanoTime() + drainLimit.toNanos();
        synchronized (unanswered) {
            while (!unanswered.isEmpty() && !outputGone) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("stdin ended with {} request(s) still unanswered after {}; ending the session", unanswered.size(), drainLimit);
                    return;
                }
                try {
                    unanswered.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
