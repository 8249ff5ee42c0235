package dev.chl.web;

import dev.chl.http.HttpModule;
import dev.chl.model.CategorySummary;
import dev.chl.ops.JobType;
import dev.chl.search.IndexStatus;
import dev.chl.settings.CredentialInfo;
import dev.chl.settings.SheetSettings;
import dev.chl.telemetry.ComponentHealth;
import dev.chl.workers.QueueCounts;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.util.List;
import java.util.Map;

/**
 * {@code /}: the health of each component, counts, last import and export, running jobs — or, while Google Sheets is
 * not set up (and the operator has not chosen to work with files only), the setup wizard at {@code /setup}.
 */
public final class OverviewPage implements HttpModule {
    static final String SKIP_COOKIE = "chl_setup_skipped";

    private final Pages pages;
    private final Console.Services services;

    OverviewPage(Pages pages, Console.Services services) {
        this.pages = pages;
        this.services = services;
    }

    /** The overview's model. */
    public record Model(Chrome chrome, Live live, long experiences, long manuals, long categories, boolean sheetsConfigured) {}

    /** The parts of the overview that refresh live. */
    /** {@code index} is null while the index cannot be read; {@code indexProblem} then says why and what heals it. */
    public record Live(String status, Map<String, ComponentHealth> components, QueueCounts queue, IndexStatus index,
                       String indexProblem, JobView lastImport, JobView lastExport, List<JobView> running) {}

    /** The setup wizard's model: which step is current and what is already known. */
    public record Setup(Chrome chrome, int step, CredentialInfo credential, SheetSettings sheets) {
        public boolean credentialDone() {
            return credential != null;
        }

        public boolean sheetsDone() {
            return sheets.configured();
        }
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/", ctx -> {
            if (!services.diagnostics().sheetsReady() && ctx.cookie(SKIP_COOKIE) == null) {
                ctx.redirect("/setup", HttpStatus.SEE_OTHER);
                return;
            }
            List<CategorySummary> categories = services.categories().list();
            pages.html(ctx, "overview.jte", new Model(pages.chrome(ctx, "Overview", "overview"), live(),
                    categories.stream().mapToLong(CategorySummary::experienceCount).sum(),
                    categories.stream().mapToLong(CategorySummary::manualCount).sum(), categories.size(),
                    services.diagnostics().sheetsReady()));
        });
        cfg.routes.get("/ui/overview/live", ctx -> pages.html(ctx, "overview/live.jte", live()));
        cfg.routes.get("/setup", ctx -> pages.html(ctx, "setup.jte", setup(ctx)));
        cfg.routes.post("/ui/setup/skip", ctx -> {
            ctx.cookie(new Cookie(SKIP_COOKIE, "1", "/", 60 * 60 * 24 * 365, "https".equals(ctx.scheme()), true, null, SameSite.STRICT));
            Pages.redirect(ctx, "/");
        });
    }


    private Setup setup(Context ctx) {
        CredentialInfo credential = services.credentials().current().orElse(null);
        SheetSettings sheets = services.settings().sheets();
        int step = credential == null ? 1 : !sheets.configured() ? 2 : 3;
        String asked = ctx.queryParam("step");
        if (asked != null && asked.matches("[1-3]") && Integer.parseInt(asked) < step) {
            step = Integer.parseInt(asked); // going back to change an earlier answer
        }
        return new Setup(pages.chrome(ctx, "Set up", "overview"), step, credential, sheets);
    }

    private Live live() {
        var health = services.health().report();
        Map<String, Object> last = services.operations().lastRuns();
        @SuppressWarnings("unchecked")
        JobView lastImport = JobView.of((Map<String, Object>) last.get(JobType.IMPORT.wire()));
        @SuppressWarnings("unchecked")
        JobView lastExport = JobView.of((Map<String, Object>) last.get(JobType.EXPORT.wire()));
        IndexStatus index = null;
        String indexProblem = null;
        try {
            index = services.index().status();
        } catch (dev.chl.common.UnavailableException e) {
            indexProblem = e.getMessage();
        }
        return new Live(health.status(), health.components(), services.workers().queue(), index, indexProblem,
                lastImport, lastExport, JobView.all(services.operations().runningJobs()));
    }
}
