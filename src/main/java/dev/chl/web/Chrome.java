package dev.chl.web;

import io.javalin.http.Context;
import java.util.List;

/**
 * What every console page's frame needs: its title, which tab is active, the CSRF token, whether login is on, and
 * whether the page may open the live channel (not before login: it would only be refused), and the toast an action
 * that redirected here left for it (or null).
 */
public record Chrome(String title, String active, String csrf, boolean loginRequired, boolean live, String flashLevel,
                     String flashMessage) {

    /** One tab of the main navigation. */
    public record NavItem(String key, String label, String path) {}

    public static final List<NavItem> NAV = List.of(
            new NavItem("overview", "Overview", "/"),
            new NavItem("entries", "Entries", "/entries"),
            new NavItem("operations", "Operations", "/operations"),
            new NavItem("workers", "Workers & queue", "/workers"),
            new NavItem("index", "Index", "/index"),
            new NavItem("settings", "Settings", "/settings"));

    static Chrome of(Context ctx, String title, String active, boolean loginRequired) {
        Sessions.Session session = ConsoleGuard.session(ctx);
        boolean signedIn = session != null && (session.authenticated || !loginRequired);
        java.util.Map<String, Object> flash = session == null ? null : session.flash.getAndSet(null);
        return new Chrome(title, active, session == null ? "" : session.csrf, loginRequired, signedIn,
                flash == null ? null : String.valueOf(flash.get("level")), flash == null ? null : String.valueOf(flash.get("message")));
    }
}
