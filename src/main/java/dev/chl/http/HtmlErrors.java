package dev.chl.http;

import io.javalin.http.Context;

/** Lets the console answer its own failed page loads with a page instead of problem+json. */
public interface HtmlErrors {
    /** Whether this request should get an HTML error page (a browser loading a console page). */
    boolean wants(Context ctx);

    void render(Context ctx, int status, String title, String detail);
}
