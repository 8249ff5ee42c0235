package dev.chl.web;

import dev.chl.audit.AuditLog;
import dev.chl.http.HttpModule;
import dev.chl.http.TokenGuard;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpStatus;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /login} and {@code /ui/logout}: with an access token configured the console asks for it once, then keeps a
 * session cookie (HttpOnly, SameSite=Strict). A wrong token costs a second, to slow down guessing.
 */
public final class LoginPage implements HttpModule {
    private static final Logger LOG = LoggerFactory.getLogger(LoginPage.class);
    private static final long WRONG_TOKEN_DELAY_MS = 1000;

    private final Pages pages;
    private final ConsoleGuard guard;
    private final Sessions sessions;
    private final TokenGuard token;
    private final AuditLog audit;

    LoginPage(Pages pages, ConsoleGuard guard, Sessions sessions, TokenGuard token, AuditLog audit) {
        this.audit = audit;
        this.pages = pages;
        this.guard = guard;
        this.sessions = sessions;
        this.token = token;
    }

    /** The model of the login page. */
    public record Model(Chrome chrome, String next, String error) {}

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/login", ctx -> {
            if (!token.enabled() || ConsoleGuard.session(ctx).authenticated) {
                ctx.redirect(localPath(ctx.queryParam("next")), HttpStatus.SEE_OTHER);
                return;
            }
            pages.html(ctx, "login.jte", new Model(pages.chrome(ctx, "Log in", ""), localPath(ctx.queryParam("next")), null));
        });
        cfg.routes.post("/login", ctx -> {
            String next = localPath(ctx.formParam("next"));
            String presented = ctx.formParam("token");
            if (!token.enabled()) {
                ctx.redirect(next, HttpStatus.SEE_OTHER);
                return;
            }
            TokenGuard.Verdict verdict = presented == null || presented.isBlank() ? TokenGuard.Verdict.WRONG
                    : token.verify(ctx.ip(), "Bearer " + presented.strip());
            if (verdict == TokenGuard.Verdict.TOO_MANY_ATTEMPTS) {
                LOG.warn("console login refused: too many wrong access tokens (from {})", ctx.ip());
                ctx.status(429).header("Retry-After", Long.toString(token.retryAfterSeconds(ctx.ip())));
                pages.html(ctx, "login.jte", new Model(pages.chrome(ctx, "Log in", ""), next,
                        "Too many wrong tokens: " + token.tooManyAttempts(ctx.ip()) + "."));
                return;
            }
            if (verdict == TokenGuard.Verdict.WRONG) {
                LOG.warn("console login refused: wrong access token (from {})", ctx.ip());
                Thread.sleep(WRONG_TOKEN_DELAY_MS);
                ctx.status(401);
                pages.html(ctx, "login.jte", new Model(pages.chrome(ctx, "Log in", ""), next,
                        "That is not this server's access token. It is the value of CHL_API_TOKEN where the server runs."));
                return;
            }
            guard.setCookie(ctx, sessions.upgrade(ConsoleGuard.session(ctx)));
            audit.record(Console.ACTOR, "console.login", Map.of("from", ctx.ip()));
            ctx.redirect(next, HttpStatus.SEE_OTHER);
        });
        cfg.routes.post("/ui/logout", ctx -> {
            if (ConsoleGuard.session(ctx).authenticated && token.enabled()) {
                audit.record(Console.ACTOR, "console.logout", Map.of("from", ctx.ip()));
            }
            sessions.end(ConsoleGuard.session(ctx));
            guard.clearCookie(ctx);
            ctx.redirect(token.enabled() ? "/login" : "/", HttpStatus.SEE_OTHER);
        });
    }

    /**
     * Only a path on this server: an open redirect to another site must not be possible through ?next=. Browsers drop
     * tabs and line breaks from a Location and read a backslash as a slash, so "/\t/evil.example" would leave too.
     */
    static String localPath(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/login")
                || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            return "/";
        }
        return next;
    }
}
