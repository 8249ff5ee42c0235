package dev.chl.api;

import dev.chl.common.ValidationException;
import dev.chl.http.HttpModule;
import dev.chl.search.IndexService;
import dev.chl.search.IndexSnapshots;
import io.javalin.config.JavalinConfig;
import io.javalin.http.UploadedFile;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/v1/index}: status, snapshot download and upload. */
public final class IndexApi implements HttpModule {
    private final IndexService index;
    private final IndexSnapshots snapshots;

    public IndexApi(IndexService index, IndexSnapshots snapshots) {
        this.index = index;
        this.snapshots = snapshots;
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/index", ctx -> ctx.json(index.status()));
        cfg.routes.get("/api/v1/index/snapshot", ctx -> {
            try (IndexSnapshots.Download download = snapshots.download()) {
                ctx.contentType("application/zip");
                ctx.header("Content-Disposition", "attachment; filename=\"chl-index-snapshot.zip\"");
                download.writeTo(ctx.outputStream());
            }
        });
        cfg.routes.post("/api/v1/index/snapshot", ctx -> {
            if (!ctx.isMultipartFormData()) {
                throw new ValidationException("file", "send the snapshot as multipart/form-data with the zip in the field 'file'");
            }
            UploadedFile file = ctx.uploadedFile("file");
            if (file == null) {
                throw new ValidationException("file", "is required: the zip made by GET /api/v1/index/snapshot");
            }
            IndexSnapshots.Installed installed;
            try (var in = file.content()) {
                installed = snapshots.upload(dev.chl.http.Requests.actor(ctx), in);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "replaced");
            body.put("index", index.status());
            body.put("disagreement", installed.disagreement());
            body.put("rebuild_job_id", installed.rebuildJobId());
            ctx.json(body);
        });
    }
}
