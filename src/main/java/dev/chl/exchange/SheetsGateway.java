package dev.chl.exchange;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.sheets.v4.Sheets;
import com.google.api.services.sheets.v4.SheetsScopes;
import com.google.api.services.sheets.v4.model.AddSheetRequest;
import com.google.api.services.sheets.v4.model.BatchUpdateSpreadsheetRequest;
import com.google.api.services.sheets.v4.model.ClearValuesRequest;
import com.google.api.services.sheets.v4.model.Request;
import com.google.api.services.sheets.v4.model.SheetProperties;
import com.google.api.services.sheets.v4.model.Spreadsheet;
import com.google.api.services.sheets.v4.model.ValueRange;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.chl.common.ValidationException;
import dev.chl.model.Worksheets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Google Sheets through the official client library and a service-account credential. Writes use RAW input, so a
 * cell that starts with "=" stays text and is never evaluated. Google's answers become messages a person can act on:
 * 403 → share the sheet with the service account, 404 → check the id; 429 and 5xx are retried with backoff.
 */
public final class SheetsGateway {
    static final int ATTEMPTS = 4;

    private final Supplier<Path> keyFile;
    private final String rootUrl;

    /** @param rootUrl the API's root URL (Google's by default; a local fake in tests) */
    public SheetsGateway(Supplier<Path> keyFile, String rootUrl) {
        this.keyFile = keyFile;
        this.rootUrl = rootUrl.endsWith("/") ? rootUrl : rootUrl + "/";
    }

    /** What "test connectivity" needs to know of a spreadsheet: its title and the names of its worksheets. */
    public record Opened(String title, List<String> worksheets) {}

    public Opened open(String spreadsheetId) throws IOException {
        Spreadsheet meta = call(spreadsheetId, s -> s.spreadsheets().get(spreadsheetId)
                .setFields("properties.title,sheets.properties.title").execute());
        return new Opened(meta.getProperties().getTitle(), List.copyOf(titles(meta)));
    }

    /** Reads the worksheets {@code names} of the spreadsheet; one it lacks is left out of the workbook. */
    Workbook read(String spreadsheetId, Worksheets names) throws IOException {
        Set<String> present = worksheetNames(spreadsheetId);
        List<String> wanted = names.names().stream().filter(present::contains).toList();
        List<Workbook.Table> tables = new ArrayList<>();
        if (wanted.isEmpty()) {
            return new Workbook(tables);
        }
        List<ValueRange> values = call(spreadsheetId, s -> s.spreadsheets().values().batchGet(spreadsheetId)
                .setRanges(wanted.stream().map(SheetsGateway::range).toList()).setValueRenderOption("FORMULA").execute()).getValueRanges();
        for (int i = 0; i < wanted.size(); i++) {
            tables.add(table(wanted.get(i), values.get(i).getValues()));
        }
        return new Workbook(tables);
    }

    void write(String spreadsheetId, Workbook workbook) throws IOException {
        Set<String> present = worksheetNames(spreadsheetId);
        List<Request> add = workbook.tables().stream().filter(t -> !present.contains(t.name()))
                .map(t -> new Request().setAddSheet(new AddSheetRequest().setProperties(new SheetProperties().setTitle(t.name())))).toList();
        if (!add.isEmpty()) {
            call(spreadsheetId, s -> s.spreadsheets().batchUpdate(spreadsheetId, new BatchUpdateSpreadsheetRequest().setRequests(add)).execute());
        }
        for (Workbook.Table table : workbook.tables()) {
            List<List<Object>> rows = new ArrayList<>();
            rows.add(new ArrayList<>(table.columns()));
            for (Workbook.Row row : table.rows()) {
                List<Object> cells = new ArrayList<>();
                for (String column : table.columns()) {
                    String value = row.cells().get(column);
                    cells.add(value == null ? "" : value);
                }
                rows.add(cells);
            }
            call(spreadsheetId, s -> s.spreadsheets().values().clear(spreadsheetId, range(table.name()), new ClearValuesRequest()).execute());
            call(spreadsheetId, s -> s.spreadsheets().values().update(spreadsheetId, range(table.name()) + "!A1",
                    new ValueRange().setValues(rows)).setValueInputOption("RAW").execute());
        }
    }

    private Set<String> worksheetNames(String spreadsheetId) throws IOException {
        return titles(call(spreadsheetId, s -> s.spreadsheets().get(spreadsheetId).setFields("sheets.properties.title").execute()));
    }

    private static Set<String> titles(Spreadsheet meta) {
        Set<String> names = new java.util.LinkedHashSet<>();
        if (meta.getSheets() != null) {
            meta.getSheets().forEach(sh -> names.add(sh.getProperties().getTitle()));
        }
        return names;
    }

    /** A whole worksheet in A1 notation: always quoted, so a name with spaces or one like "A1" means the sheet. */
    static String range(String worksheet) {
        return "'" + worksheet.replace("'", "''") + "'";
    }

    private static Workbook.Table table(String name, List<List<Object>> values) {
        List<String> columns = new ArrayList<>();
        List<Workbook.Row> rows = new ArrayList<>();
        if (values != null && !values.isEmpty()) {
            values.getFirst().forEach(c -> columns.add(dev.chl.common.Text.trim(String.valueOf(c))));
            for (int r = 1; r < values.size(); r++) {
                List<Object> line = values.get(r);
                Map<String, String> cells = new LinkedHashMap<>();
                for (int c = 0; c < columns.size(); c++) {
                    String value = c < line.size() ? String.valueOf(line.get(c)) : null;
                    cells.put(columns.get(c), value == null || value.isEmpty() ? null : value);
                }
                if (cells.values().stream().anyMatch(v -> v != null && !v.isBlank())) {
                    rows.add(new Workbook.Row(r + 1, cells));
                }
            }
        }
        return new Workbook.Table(name, columns, rows);
    }

    @FunctionalInterface
    interface SheetsCall<T> {
        T run(Sheets sheets) throws IOException;
    }

    private <T> T call(String spreadsheetId, SheetsCall<T> call) throws IOException {
        Sheets sheets = client();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run(sheets);
            } catch (HttpResponseException e) {
                int status = e.getStatusCode();
                boolean retry = (status == 429 || status >= 500) && attempt < ATTEMPTS;
                if (!retry) {
                    throw explain(spreadsheetId, e);
                }
                sleep(250L << (attempt - 1));
            }
        }
    }

    private ValidationException explain(String spreadsheetId, HttpResponseException e) {
        String account = account();
        String detail = e instanceof GoogleJsonResponseException g && g.getDetails() != null ? g.getDetails().getMessage() : e.getStatusMessage();
        return switch (e.getStatusCode()) {
            case 403 -> new ValidationException("spreadsheet", "spreadsheet " + spreadsheetId + " is not shared with the service account "
                    + account + "; share it with that address (Editor for the review sheet, Viewer for the published one)");
            case 404 -> new ValidationException("spreadsheet", "no spreadsheet with id " + spreadsheetId + "; check the id in Settings → Spreadsheets");
            case 429 -> new ValidationException("spreadsheet", "Google's rate limit was hit repeatedly; wait a minute and try again");
            case 401 -> new ValidationException("credentials", "Google refused the service-account credential (" + detail + "); upload a fresh key");
            default -> new ValidationException("spreadsheet", "Google Sheets answered " + e.getStatusCode() + ": " + detail);
        };
    }

    private String account() {
        try (InputStream in = Files.newInputStream(keyFile.get())) {
            return ServiceAccountCredentials.fromStream(in).getClientEmail();
        } catch (IOException | RuntimeException e) {
            return "(unknown account)";
        }
    }

    private Sheets client() throws IOException {
        GoogleCredentials credentials;
        try (InputStream in = Files.newInputStream(keyFile.get())) {
            credentials = ServiceAccountCredentials.fromStream(in).createScoped(List.of(SheetsScopes.SPREADSHEETS));
        }
        HttpRequestInitializer auth = new HttpCredentialsAdapter(credentials);
        HttpRequestInitializer init = request -> {
            auth.initialize(request);
            request.setConnectTimeout(10_000);
            request.setReadTimeout(60_000);
        };
        return new Sheets.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), init)
                .setRootUrl(rootUrl)
                .setApplicationName("CHL")
                .build();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
