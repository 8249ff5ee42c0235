package dev.chl.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Result messages for the console: sent as an {@code HX-Trigger} header that console.js turns into a toast, so any
 * fragment response can also say what happened. Non-ASCII is escaped: header values must stay plain ASCII.
 */
final class Toasts {
    private static final String PENDING = "chl.toast";
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private Toasts() {}

    static void success(Context ctx, String message) {
        send(ctx, "success", message);
    }

    static void error(Context ctx, String message) {
        send(ctx, "error", message);
    }

    private static void send(Context ctx, String level, String message) {
        Map<String, Object> toast = new LinkedHashMap<>();
        toast.put("level", level);
        toast.put("message", message);
        ctx.header("HX-Trigger", JSON.writeValueAsString(Map.of("chl-toast", toast)));
        ctx.attribute(PENDING, toast);
    }

    /**
     * A redirect follows: the toast of this answer would be raised on the page being left, so it is kept in the session
     * for the next page instead (Chrome's flash).
     */
    static void keepForNextPage(Context ctx) {
        Map<String, Object> toast = ctx.attribute(PENDING);
        Sessions.Session session = ConsoleGuard.session(ctx);
        if (toast != null && session != null) {
            session.flash.set(toast);
            ctx.res().setHeader("HX-Trigger", null);
        }
    }
}
