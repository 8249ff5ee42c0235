package dev.chl.web;

import io.javalin.http.Context;

/** What every page class shares: the templates and how to build a page's frame. */
final class Pages {
    final Templates templates;
    private final boolean loginRequired;

    Pages(Templates templates, boolean loginRequired) {
        this.templates = templates;
        this.loginRequired = loginRequired;
    }

    boolean loginRequired() {
        return loginRequired;
    }

    Chrome chrome(Context ctx, String title, String active) {
        return Chrome.of(ctx, title, active, loginRequired);
    }

    void html(Context ctx, String template, Object model) {
        templates.html(ctx, template, model);
    }

    /** Whether this request is htmx asking for a fragment (rather than a browser loading a whole page). */
    static boolean fragment(Context ctx) {
        return ctx.header("HX-Request") != null;
    }

    /** A full-page move: htmx follows HX-Redirect, a plain form post follows the 303. */
    static void redirect(Context ctx, String path) {
        Toasts.keepForNextPage(ctx);
        if (fragment(ctx)) {
            ctx.header("HX-Redirect", path);
            ctx.result("");
        } else {
            ctx.redirect(path, io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }
}
