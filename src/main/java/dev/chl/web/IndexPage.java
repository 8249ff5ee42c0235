package dev.chl.web;

import dev.chl.common.ValidationException;
import dev.chl.http.HttpModule;
import dev.chl.ops.JobType;
import dev.chl.search.IndexSnapshots;
import dev.chl.search.IndexStatus;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.InputStream;

/** {@code /index}: documents, vectors, model, size, last rebuild and checksum; rebuild; snapshot download and upload. */
public final class IndexPage implements HttpModule {
    private final Pages pages;
    private final Console.Services services;

    IndexPage(Pages pages, Console.Services services) {
        this.pages = pages;
        this.services = services;
    }

    /** The page. */
    public record Model(Chrome chrome, Panel panel) {}

    /** The live part: the index's figures and the rebuild card. */
    /** {@code status} is null while the index cannot be read; {@code problem} then says why and what heals it. */
    public record Panel(IndexStatus status, String problem, OperationsPage.Card rebuild) {}

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/index", ctx -> pages.html(ctx, "index.jte", new Model(pages.chrome(ctx, "Index", "index"), panel())));
        cfg.routes.get("/ui/index/panel", ctx -> pages.html(ctx, "index/panel.jte", panel()));
        cfg.routes.get("/ui/index/snapshot", ctx -> {
            try (IndexSnapshots.Download download = services.snapshots().download()) {
                ctx.contentType("application/zip");
                ctx.header("Content-Disposition", "attachment; filename=\"chl-index-snapshot.zip\"");
                download.writeTo(ctx.outputStream());
            }
        });
        cfg.routes.post("/ui/index/snapshot", this::upload);
    }

    private void upload(Context ctx) throws Exception {
        UploadedFile file = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
        if (file == null) {
            throw new ValidationException("file", "choose a snapshot zip made by \"Download snapshot\"");
        }
        IndexSnapshots.Installed installed;
        try (InputStream in = file.content()) {
            installed = services.snapshots().upload(Console.ACTOR, in);
        }
        if (installed.disagreement() == null) {
            Toasts.success(ctx, "Snapshot installed; it matches the database");
        } else {
            Toasts.success(ctx, "Snapshot installed, but it differs from the database (" + installed.disagreement() + "); "
                    + (installed.rebuildJobId() != null ? "a rebuild from the database has started (job " + installed.rebuildJobId() + ")"
                            : "no rebuild could start now: start one with Rebuild index"));
        }
        pages.html(ctx, "index/panel.jte", panel());
    }

    private Panel panel() {
        OperationsPage.Card rebuild = OperationsPage.Card.of(JobType.INDEX_REBUILD, services.operations().lastRuns(),
                services.operations().blockers(), services.uploads());
        try {
            return new Panel(services.index().status(), null, rebuild);
        } catch (dev.chl.common.UnavailableException e) {
            // the page that offers the rebuild must still show, with the reason, when the index cannot be read
            return new Panel(null, e.getMessage(), rebuild);
        }
    }
}
