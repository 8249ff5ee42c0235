package dev.chl.api;

import dev.chl.common.ValidationException;
import dev.chl.exchange.Diagnostics;
import dev.chl.http.HttpModule;
import dev.chl.http.JsonBodies;
import dev.chl.http.Requests;
import dev.chl.settings.CredentialInfo;
import dev.chl.settings.CredentialStore;
import dev.chl.settings.SettingsService;
import io.javalin.config.JavalinConfig;
import io.javalin.http.UploadedFile;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/v1/settings} and {@code /api/v1/diagnostics}: sections, credential, sheets, connectivity, backup and restore. */
public final class SettingsApi implements HttpModule {
    private final SettingsService settings;
    private final JsonBodies bodies;
    private final CredentialStore credentials;
    private final Diagnostics diagnostics;

    public SettingsApi(SettingsService settings, JsonBodies bodies, CredentialStore credentials, Diagnostics diagnostics) {
        this.settings = settings;
        this.bodies = bodies;
        this.credentials = credentials;
        this.diagnostics = diagnostics;
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/settings", ctx -> {
            Map<String, Object> body = new LinkedHashMap<>(settings.describe());
            body.put("credentials", credentials.current().map(SettingsApi::credential).orElse(null));
            ctx.json(body);
        });
        cfg.routes.put("/api/v1/settings/retention", ctx -> ctx.json(settings.updateRetention(Requests.actor(ctx), bodies.object(ctx))));
        cfg.routes.put("/api/v1/settings/search", ctx -> ctx.json(settings.updateSearch(Requests.actor(ctx), bodies.object(ctx))));
        cfg.routes.put("/api/v1/settings/workers", ctx -> ctx.json(settings.updateWorkers(Requests.actor(ctx), bodies.object(ctx))));
        cfg.routes.put("/api/v1/settings/operations", ctx -> ctx.json(settings.updateOperations(Requests.actor(ctx), bodies.object(ctx))));
        cfg.routes.put("/api/v1/settings/model", ctx -> ctx.json(settings.updateModel(Requests.actor(ctx), bodies.object(ctx))));
        cfg.routes.put("/api/v1/settings/sheets", ctx -> ctx.json(settings.updateSheets(Requests.actor(ctx), bodies.object(ctx))));
        cfg.routes.post("/api/v1/settings/credentials", ctx -> {
            UploadedFile file = ctx.isMultipartFormData() ? ctx.uploadedFile("file") : null;
            if (file == null) {
                throw new ValidationException("file", "send the service-account JSON key as multipart/form-data in the field 'file'");
            }
            if (file.size() > CredentialStore.MAX_BYTES) {
                throw new ValidationException("file", "a service-account key is at most 64 KB; this file is " + file.size() + " bytes");
            }
            byte[] content;
            try (var in = file.content()) {
                content = in.readNBytes(CredentialStore.MAX_BYTES + 1);
            }
            try {
                ctx.status(201).json(credential(credentials.upload(Requests.actor(ctx), content)));
            } catch (ValidationException e) {
                throw new dev.chl.http.HttpError(422, "Invalid credential", e.getMessage());
            }
        });
        cfg.routes.post("/api/v1/settings/test-connectivity", ctx -> ctx.json(Map.of("checks", diagnostics.testConnectivity())));
        cfg.routes.get("/api/v1/diagnostics", ctx -> ctx.json(Map.of("checks", diagnostics.checks())));
        cfg.routes.get("/api/v1/settings/backup", ctx -> {
            ctx.header("Content-Disposition", "attachment; filename=\"chl-settings.json\"");
            ctx.json(settings.backup());
        });
        cfg.routes.post("/api/v1/settings/restore", ctx -> {
            if (ctx.isMultipartFormData()) {
                UploadedFile upload = ctx.uploadedFile("file");
                if (upload == null) {
                    throw new ValidationException("file", "send the settings backup in the multipart field 'file'");
                }
                try (var in = upload.content()) {
                    ctx.json(settings.restoreFile(Requests.actor(ctx), in.readNBytes(SettingsService.BACKUP_MAX_BYTES + 1)));
                }
            } else {
                ctx.json(settings.restore(Requests.actor(ctx), bodies.object(ctx)));
            }
        });
    }

    private static Map<String, Object> credential(CredentialInfo c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", c.status());
        if (c.fileProblem() != null) {
            view.put("problem", c.fileProblem());
        }
        view.put("client_email", c.clientEmail());
        view.put("project_id", c.projectId());
        view.put("checksum_prefix", c.checksumPrefix());
        view.put("validated_at", c.validatedAt());
        return view;
    }
}
