package dev.chl.audit;

import dev.chl.common.Times;
import dev.chl.common.ValidationException;
import dev.chl.model.AuditEvent;
import dev.chl.model.Page;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Streams the whole audit log, page by page, as JSON Lines or CSV (RFC 4180 quoting). */
public final class AuditExport {
    private final AuditLog log;
    private final JsonMapper json;

    public AuditExport(AuditLog log, JsonMapper json) {
        this.log = log;
        this.json = json;
    }

    public enum Format {
        JSONL("application/x-ndjson", "jsonl"),
        CSV("text/csv", "csv");

        public final String contentType;
        public final String extension;

        Format(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }

        public static Format parse(String value) {
            if (value == null || value.isBlank() || value.equals("jsonl")) {
                return JSONL;
            }
            if (value.equals("csv")) {
                return CSV;
            }
            throw new ValidationException("format", "'" + value + "' is not supported; use jsonl or csv");
        }
    }

    public void write(Format format, AuditFilter filter, Writer out) {
        try {
            // The first page is read before anything is written, so a bad filter fails as a clean error, not half a file.
            Page<AuditEvent> page = page(filter, null);
            if (format == Format.CSV) {
                out.write("id,timestamp,actor,source,action,details\r\n");
            }
            while (true) {
                for (AuditEvent event : page.items()) {
                    out.write(format == Format.CSV ? csvLine(event) : json.writeValueAsString(asMap(event)) + "\n");
                }
                if (page.nextCursor() == null) {
                    break;
                }
                page = page(filter, page.nextCursor());
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Page<AuditEvent> page(AuditFilter filter, String cursor) {
        return log.list(new AuditFilter(filter.actor(), filter.action(), filter.since(), AuditLog.MAX_PAGE, cursor));
    }

    /** The JSON shape of an audit event, shared by the export and the HTTP listing. */
    public static Map<String, Object> asMap(AuditEvent event) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", event.id());
        map.put("timestamp", Times.format(event.timestamp()));
        map.put("actor", event.actor());
        map.put("source", event.source().wire());
        map.put("action", event.action());
        map.put("details", event.details());
        return map;
    }

    private String csvLine(AuditEvent e) {
        return String.join(",", Long.toString(e.id()), Times.format(e.timestamp()), csv(e.actor()), e.source().wire(),
                csv(e.action()), csv(json.writeValueAsString(e.details()))) + "\r\n";
    }

    private static String csv(String value) {
        // Neutralise spreadsheet formulas, then quote per RFC 4180.
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
