package dev.chl.web;

import dev.chl.http.HttpError;
import dev.chl.http.TokenGuard;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The console's door: security headers on every console response, a session cookie for every browser (HttpOnly,
 * SameSite=Strict), a login when an access token is configured, and a cross-site request check on every form action
 * (same Origin and the session's CSRF token, both required).
 */
final class ConsoleGuard {
    static final String COOKIE = "chl_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSRF_FIELD = "_csrf";
    /** Sent with a refusal that means "this page's session is gone": console.js stops polling and asks for a reload. */
    static final String SESSION_ENDED_HEADER = "X-CHL-Session";
    private static final String SESSION_ATTRIBUTE = "chl.console.session";
    /** No inline script or style anywhere: everything the pages run or wear comes from this server's files. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

    private final Sessions sessions;
    private final boolean loginRequired;

    ConsoleGuard(Sessions sessions, boolean loginRequired) {
        this.sessions = sessions;
        this.loginRequired = loginRequired;
    }

    boolean loginRequired() {
        return loginRequired;
    }

    /** API, MCP, metrics and health keep their own rules (bearer token); everything else is the console's. */
    static boolean isConsole(String path) {
        return !(TokenGuard.protects(path) || path.equals("/health"));
    }

    private static boolean isAsset(String path) {
        return path.startsWith("/webjars/") || path.startsWith("/static/");
    }

    void check(Context ctx) {
        String path = ctx.path();
        if (!isConsole(path)) {
            return;
        }
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        // With no-referrer a browser sends "Origin: null" on form posts, which the same-origin check must refuse;
        // same-origin still tells other sites nothing.
        ctx.header("Referrer-Policy", "same-origin");
        if (isAsset(path)) {
            return;
        }
        ctx.header("Cache-Control", "no-store");
        Sessions.Session session = sessions.find(ctx.cookie(COOKIE));
        boolean safe = SAFE.contains(ctx.method());
        if (!safe) {
            checkSameOrigin(ctx);
            if (session == null) {
                ctx.header(SESSION_ENDED_HEADER, "ended");
                throw new HttpError(403, "Session expired", "your console session has expired; reload the page and try again");
            }
            checkCsrfToken(ctx, session);
        } else if (session == null) {
            if (path.startsWith("/ui/") && loginRequired) {
                refuseUntilLogin(ctx);
            }
            if (path.startsWith("/ui/")) {
                // A fragment, a download or the live channel of a page whose session ended (a restart): a new session
                // here would leave the page holding a stale CSRF token, so say what to do instead.
                ctx.header(SESSION_ENDED_HEADER, "ended");
                throw new HttpError(403, "Session expired", "your console session has ended (did the server restart?); reload the page");
            }
            session = sessions.create(!loginRequired);
            setCookie(ctx, session);
        }
        ctx.attribute(SESSION_ATTRIBUTE, session);
        if (loginRequired && !session.authenticated && !path.equals("/login")) {
            refuseUntilLogin(ctx);
        }
    }

    static Sessions.Session session(Context ctx) {
        return ctx.attribute(SESSION_ATTRIBUTE);
    }

    void setCookie(Context ctx, Sessions.Session session) {
        ctx.attribute(SESSION_ATTRIBUTE, session);
        Cookie cookie = new Cookie(COOKIE, session.id, "/", -1, "https".equals(ctx.scheme()), true, null, SameSite.STRICT);
        ctx.cookie(cookie);
    }

    void clearCookie(Context ctx) {
        ctx.cookie(new Cookie(COOKIE, "", "/", 0, "https".equals(ctx.scheme()), true, null, SameSite.STRICT));
    }

    private static void refuseUntilLogin(Context ctx) {
        if (ctx.header("HX-Request") != null || ctx.path().startsWith("/ui/")) {
            ctx.header("HX-Redirect", "/login");
            throw new HttpError(401, "Login needed", "this console needs its access token; log in at /login");
        }
        String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        ctx.redirect("/login?next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8), io.javalin.http.HttpStatus.SEE_OTHER);
        ctx.skipRemainingHandlers();
    }

    /** A browser names the page a request comes from; a form posted from another site is refused here. */
    private static void checkSameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            throw crossSite();
        }
        if (origin == null) {
            return; // not a browser, or a same-origin GET-style navigation: the CSRF token still has to match
        }
        String host = ctx.header("Host");
        try {
            URI uri = URI.create(origin);
            String expected = uri.getScheme() + "://" + host;
            if (host == null || !origin.equalsIgnoreCase(expected)) {
                throw crossSite();
            }
        } catch (IllegalArgumentException e) {
            throw crossSite();
        }
    }

    private static void checkCsrfToken(Context ctx, Sessions.Session session) {
        String presented = ctx.header(CSRF_HEADER);
        if (presented == null) {
            presented = ctx.formParam(CSRF_FIELD);
        }
        if (presented == null) {
            throw crossSite();
        }
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), session.csrf.getBytes(StandardCharsets.UTF_8))) {
            ctx.header(SESSION_ENDED_HEADER, "ended");
            throw new HttpError(403, "Cross-site request refused", "this form belongs to an older console session (the server "
                    + "restarted, or you logged in again elsewhere); reload the page and try again");
        }
    }

    private static HttpError crossSite() {
        return new HttpError(403, "Cross-site request refused",
                "this form was not sent from a page of this console; open the console and use its forms");
    }
}
