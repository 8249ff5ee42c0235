package dev.chl.api;

import dev.chl.audit.AuditExport;
import dev.chl.audit.AuditFilter;
import dev.chl.audit.AuditLog;
import dev.chl.common.Input;
import dev.chl.http.HttpModule;
import dev.chl.http.JsonBodies;
import dev.chl.model.AuditEvent;
import dev.chl.model.Page;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code /api/v1/audit} and its export. */
public final class AuditApi implements HttpModule {
    private final AuditLog audit;
    private final AuditExport export;

    public AuditApi(AuditLog audit, AuditExport export) {
        this.audit = audit;
        this.export = export;
    }

    @Override
    public void register(JavalinConfig cfg) {
        cfg.routes.get("/api/v1/audit", ctx -> {
            Page<AuditEvent> page = audit.list(filter(ctx, Set.of("actor", "action", "since", "limit", "cursor")));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", page.items().stream().map(AuditExport::asMap).toList());
            body.put("next_cursor", page.nextCursor());
            ctx.json(body);
        });
        cfg.routes.get("/api/v1/audit/export", ctx -> {
            AuditExport.Format format = AuditExport.Format.parse(ctx.queryParam("format"));
            AuditFilter filter = filter(ctx, Set.of("actor", "action", "since", "format"));
            ctx.contentType(format.contentType + "; charset=utf-8");
            ctx.header("Content-Disposition", "attachment; filename=\"chl-audit." + format.extension + "\"");
            try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8))) {
                export.write(format, filter, out);
            }
        });
    }

    private static AuditFilter filter(Context ctx, Set<String> allowed) {
        Map<String, String> params = JsonBodies.query(ctx);
        Input in = new Input(params).allowOnly(allowed);
        in.check();
        Integer limit = null;
        if (params.containsKey("limit")) {
            try {
                limit = Integer.parseInt(params.get("limit"));
            } catch (NumberFormatException e) {
                throw new dev.chl.common.ValidationException("limit", "must be a whole number between 1 and " + AuditLog.MAX_PAGE);
            }
        }
        return new AuditFilter(params.get("actor"), params.get("action"), params.get("since"), limit, params.get("cursor"));
    }
}
