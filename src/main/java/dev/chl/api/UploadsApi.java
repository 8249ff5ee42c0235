package dev.chl.api;

import dev.chl.common.ValidationException;
import dev.chl.exchange.Uploads;
import dev.chl.http.HttpModule;
import io.javalin.config.JavalinConfig;
import io.javalin.http.UploadedFile;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /api/v1/uploads}: a workbook (.xlsx, or a zip of CSV files) for an import, as multipart field {@code file}. */
public final class UploadsApi implements HttpModule {
    private final Uploads uploads;

    public UploadsApi(Uploads uploads) {
        this.uploads = uploads;
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.post("/api/v1/uploads", ctx -> {
            if (!ctx.isMultipartFormData()) {
                throw new ValidationException("file", "send the workbook as multipart/form-data in the field 'file'");
            }
            UploadedFile file = ctx.uploadedFile("file");
            if (file == null) {
                throw new ValidationException("file", "is required: an .xlsx workbook or a zip of CSV files");
            }
            Uploads.Upload upload;
            try (var in = file.content()) {
                upload = uploads.save(file.filename(), in);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("upload_id", upload.uploadId());
            body.put("filename", upload.filename());
            body.put("size", upload.size());
            body.put("sha256", upload.sha256());
            body.put("format", upload.format());
            ctx.status(201).json(body);
        });
    }
}
