package dev.chl.http;

import dev.chl.common.ConflictException;
import dev.chl.common.FieldError;
import dev.chl.common.NotFoundException;
import dev.chl.common.UnavailableException;
import dev.chl.common.ValidationException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/** Turns every failure into an {@code application/problem+json} document (RFC 9457) a person can act on. */
final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    private static final String HANDLED = "chl.problem";

    private final JsonMapper json;
    private final HtmlErrors htmlErrors;

    Problems(JsonMapper json, HtmlErrors htmlErrors) {
        this.json = json;
        this.htmlErrors = htmlErrors;
    }

    void register(RoutesConfig routes) {
        routes.exception(ValidationException.class, (e, ctx) -> validation(ctx, e.errors()));
        routes.exception(NotFoundException.class, (e, ctx) -> write(ctx, 404, "Not found", e.getMessage(), Map.of()));
        routes.exception(ConflictException.class, (e, ctx) -> write(ctx, 409, "Conflict", e.getMessage(), e.extensions()));
        routes.exception(UnavailableException.class, (e, ctx) -> write(ctx, 503, "Service unavailable", e.getMessage(), e.extensions()));
        routes.exception(HttpError.class, (e, ctx) -> write(ctx, e.status(), e.title(), e.getMessage(), Map.of()));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            String allowed = e.getDetails().getOrDefault("availableMethods", e.getDetails().get("Available methods"));
            if (e.getStatus() == 405 && allowed != null) {
                ctx.header("Allow", allowed); // RFC 9110: a 405 names the methods the resource has
            }
            String detail = switch (e.getStatus()) {
                case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path() + "; the routes are listed in API.md";
                case 405 -> ctx.method() + " is not supported on " + ctx.path()
                        + (allowed == null ? "" : "; it takes " + allowed) + "; the routes and their verbs are listed in API.md";
                case 413 -> "the request body is over the " + HttpServer.MAX_JSON_BODY / (1024 * 1024) + " MB limit for a JSON body; "
                        + "send files as multipart uploads (POST /api/v1/uploads)";
                default -> e.getMessage();
            };
            write(ctx, e.getStatus(), e.getStatus() == 404 ? "Not found" : e.getMessage(), detail, Map.of());
        });
        routes.exception(Exception.class, (e, ctx) -> {
            if (gone(ctx)) {
                LOG.debug("a request ended before its failure could be answered: {}", e.toString());
                return;
            }
            org.eclipse.jetty.http.HttpException badRequest = clientError(e);
            if (badRequest != null) {
                // Jetty read a body it could not parse (a cut-off or malformed multipart upload): the client's fault.
                // The rest of that body is still on the connection, and Jetty closes it after this answer: say so, or
                // a client reusing the connection sends its next request into a closed socket.
                ctx.header("Connection", "close");
                write(ctx, badRequest.getCode(), "Malformed request", "the request body could not be read ("
                        + badRequest.getReason() + "); for an upload send one complete multipart/form-data body with the file "
                        + "in the field 'file', and send it again if it was cut off", Map.of());
                return;
            }
            if (dev.chl.common.DiskFull.is(e)) {
                LOG.error("request {} {} failed: the disk is full", ctx.method(), ctx.path(), e);
                write(ctx, 507, "Insufficient Storage", dev.chl.common.DiskFull.REMEDY, Map.of());
                return;
            }
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("request {} {} failed (ref {})", ctx.method(), ctx.path(), reference, e);
            write(ctx, 500, "Internal error", "the server failed to handle this request; the server log has the details under ref "
                    + reference, Map.of("ref", reference));
        });
        routes.error(404, ctx -> {
            if (ctx.attribute(HANDLED) == null) {
                write(ctx, 404, "Not found", "no such endpoint: " + ctx.method() + " " + ctx.path() + "; see API.md for the routes", Map.of());
            }
        });
        routes.error(405, ctx -> {
            if (ctx.attribute(HANDLED) == null) {
                write(ctx, 405, "Method not allowed", ctx.method() + " is not supported on " + ctx.path(), Map.of());
            }
        });
    }

    /** The 4xx Jetty raised for a request it could not read, anywhere in the cause chain; null when it is not one. */
    private static org.eclipse.jetty.http.HttpException clientError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return http;
            }
        }
        return null;
    }

    /**
     * Whether the exchange is already over — a live stream whose client left has its request recycled by Jetty. There
     * is nobody to answer, and touching the request would throw again inside this handler.
     */
    private static boolean gone(Context ctx) {
        try {
            ctx.path();
            ctx.statusCode();
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }

    private void validation(Context ctx, List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.getFirst().field() + " " + errors.getFirst().message()
                : errors.size() + " fields are invalid; fix each one listed in errors";
        write(ctx, 422, "Invalid request", detail, Map.of("errors", errors.stream()
                .map(e -> Map.of("field", e.field(), "message", e.message())).toList()));
    }

    private void write(Context ctx, int status, String title, String detail, Map<String, ?> extensions) {
        Map<String, Object> body = ProblemDocument.of(status, title, detail, extensions);
        try {
            ctx.attribute(HANDLED, Boolean.TRUE);
            // A download route marks its answer as a file before writing it; an error must not be saved as that file.
            ctx.res().setHeader("Content-Disposition", null);
            if (htmlErrors != null && htmlErrors.wants(ctx)) {
                htmlErrors.render(ctx.status(status), status, title, detail);
                return;
            }
            ctx.status(status).contentType(ProblemDocument.CONTENT_TYPE).result(json.writeValueAsString(body));
        } catch (RuntimeException e) {
            // The response is gone (a live stream whose client left, recycled by Jetty): nobody is there to read the
            // problem, and an exception thrown from here would be handed back to this handler again and again.
            LOG.debug("could not write a problem response for {} ({})", status, e.toString());
        }
    }
}
