package dev.chl.http;

import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live streams, each served by its own virtual thread so a slow client holds up nobody else, all ended together at
 * shutdown while the HTTP server can still close them cleanly.
 */
public final class SseStreams implements AutoCloseable {
    /** What one stream sends until its client leaves or its thread is interrupted. */
    @FunctionalInterface
    public interface Body {
        void run(SseClient client) throws InterruptedException;
    }

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /** Serves {@code client} with {@code body}; {@code resource} (its subscription) is closed whenever the stream ends. */
    public void serve(SseClient client, String name, AutoCloseable resource, Body body) {
        client.keepAlive();
        client.onClose(() -> closeQuietly(resource));
        if (closing) {
            closeQuietly(resource);
            client.close();
            return;
        }
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                client.sendComment("connected");
                body.run(client);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the client went away mid-write; nothing to clean beyond the resource
            } finally {
                closeQuietly(resource);
                threads.remove(Thread.currentThread());
                client.close();
            }
        });
        threads.add(thread);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception ignored) {
            // closing a subscription cannot fail in a way anyone could act on
        }
    }

    @Override
    public void close() {
        closing = true;
        threads.forEach(Thread::interrupt);
    }
}
