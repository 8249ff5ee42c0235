package dev.chl.exchange;

import dev.chl.common.ValidationException;
import dev.chl.model.Worksheets;
import dev.chl.settings.CredentialInfo;
import dev.chl.settings.CredentialStore;
import dev.chl.settings.SettingsService;
import dev.chl.settings.SheetSettings;
import dev.chl.telemetry.ComponentHealth;
import dev.chl.telemetry.HealthService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks each component and says how to fix what is wrong; "test connectivity" also opens both spreadsheets. */
public final class Diagnostics {
    private final SettingsService settings;
    private final CredentialStore credentials;
    private final SheetsGateway sheets;
    private final HealthService health;

    public Diagnostics(SettingsService settings, CredentialStore credentials, SheetsGateway sheets, HealthService health) {
        this.settings = settings;
        this.credentials = credentials;
        this.sheets = sheets;
        this.health = health;
    }

    /** Whether Google Sheets exchange can be tried: a credential and both sheet ids are there (not whether they work). */
    public boolean sheetsReady() {
        return credentials.current().isPresent() && settings.sheets().configured();
    }

    /** Local checks only (fast): components, credential and sheet settings. */
    public List<Map<String, Object>> checks() {
        List<Map<String, Object>> checks = new ArrayList<>();
        health.report().components().forEach((name, c) -> checks.add(check(name, c.healthy() ? "ok" : "warn",
                name + " is " + c.status() + (c.details().get("message") instanceof String m ? ": " + m : ""),
                c.healthy() ? null : c.details().get("remediation") instanceof String r ? r : remedy(name))));
        Optional<CredentialInfo> credential = credentials.current();
        checks.add(credential.map(c -> c.fileProblem() != null
                        ? check("credentials", "error", "service account " + c.clientEmail() + ": " + c.fileProblem(),
                                "upload the service account's JSON key again in Settings → Credentials")
                        : check("credentials", "ok", "service account " + c.clientEmail() + " (checksum "
                        + c.checksumPrefix() + "…, validated " + c.validatedAt() + ")", null))
                .orElse(check("credentials", "warn", "no Google service-account credential",
                        "upload the service account's JSON key in Settings → Credentials (needed for Google Sheets only)")));
        SheetSettings ids = settings.sheets();
        checks.add(ids.configured() ? check("sheets", "ok", "review " + ids.reviewSheetId() + ", published " + ids.publishedSheetId()
                        + "; worksheets " + String.join(", ", ids.worksheets().names()), null)
                : check("sheets", "warn", "spreadsheet ids are not set", "set the review and published sheet ids in Settings → Spreadsheets"));
        return checks;
    }

    /**
     * Opens the review and the published spreadsheet with the stored credential, and checks that the published one has
     * the configured worksheets (the review sheet's are created by the export).
     */
    public List<Map<String, Object>> testConnectivity() {
        return testConnectivity(settings.sheets());
    }

    /** {@link #testConnectivity()} on these sheet settings (typed in a form, not saved yet) instead of the saved ones. */
    public List<Map<String, Object>> testConnectivity(SheetSettings ids) {
        List<Map<String, Object>> checks = new ArrayList<>();
        Optional<CredentialInfo> credential = credentials.current();
        if (credential.isEmpty() || credential.get().fileProblem() != null) {
            checks.add(check("credentials", "error", credential.map(CredentialInfo::fileProblem).orElse("no Google service-account credential"),
                    "upload the service account's JSON key in Settings → Credentials"));
            return checks;
        }
        checks.add(open("review_sheet", ids.reviewSheetId()).check());
        Opening published = open("published_sheet", ids.publishedSheetId());
        checks.add(published.check());
        if (published.opened() != null) {
            checks.add(worksheets(published.opened(), ids.worksheets()));
        }
        return checks;
    }

    /** The check on one spreadsheet, and what was opened (null when it could not be). */
    private record Opening(Map<String, Object> check, SheetsGateway.Opened opened) {}

    private Opening open(String name, String id) {
        if (id == null) {
            return new Opening(check(name, "error", name.replace('_', ' ') + " id is not set", "set it in Settings → Spreadsheets"), null);
        }
        try {
            SheetsGateway.Opened opened = sheets.open(id);
            return new Opening(check(name, "ok", "opened \"" + opened.title() + "\"", null), opened);
        } catch (ValidationException e) {
            return new Opening(check(name, "error", e.errors().getFirst().message(),
                    "share the sheet with the service account and check the id"), null);
        } catch (Exception e) {
            return new Opening(check(name, "error", "could not reach Google Sheets (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", "check the network and the credential, then test again"), null);
        }
    }

    /** An import from a sheet without its experiences or manuals worksheet would retire what that worksheet held. */
    private static Map<String, Object> worksheets(SheetsGateway.Opened published, Worksheets names) {
        List<String> missing = names.byTable().entrySet().stream().filter(e -> !published.worksheets().contains(e.getValue()))
                .map(e -> "'" + e.getValue() + "' (" + e.getKey() + ")").toList();
        if (missing.isEmpty()) {
            return check("published_worksheets", "ok", "has the worksheets " + String.join(", ", names.names()), null);
        }
        return check("published_worksheets", "warn", "the published sheet \"" + published.title() + "\" has no worksheet "
                        + String.join(", ", missing) + "; it has " + (published.worksheets().isEmpty() ? "none"
                        : String.join(", ", published.worksheets())),
                "rename the worksheets in the published sheet, or set the names it uses under Worksheets in Settings → Spreadsheets");
    }

    private static String remedy(String component) {
        return switch (component) {
            case "index" -> "wait for the running rebuild, or start one from Operations → Index";
            case "workers" -> "a worker stopped sending heartbeats; restart the server if it stays stale";
            default -> "check the server log";
        };
    }

    private static Map<String, Object> check(String name, String status, String message, String remediation) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("status", status);
        c.put("message", message);
        c.put("remediation", remediation);
        return c;
    }
}
