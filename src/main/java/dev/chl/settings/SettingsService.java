package dev.chl.settings;

import dev.chl.audit.AuditLog;
import dev.chl.common.FieldError;
import dev.chl.common.Input;
import dev.chl.common.ValidationException;
import dev.chl.common.Times;
import dev.chl.embed.EmbeddingModels;
import dev.chl.model.Actor;
import dev.chl.model.Worksheets;
import dev.chl.store.Database;
import dev.chl.store.SettingRow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * Settings facade: each section is a JSON value under one key, validated before it is saved, every change audited.
 * Reads go to the database each time (a primary-key lookup), so every process sees the same values.
 */
public final class SettingsService {
    static final String RETENTION = "retention";
    static final String SEARCH = "search";
    static final String WORKERS = "workers";
    static final String MODEL = "model";
    static final String OPERATIONS = "operations";
    static final String SHEETS = "sheets";
    static final List<String> SECTIONS = List.of(RETENTION, SEARCH, WORKERS, OPERATIONS, SHEETS, MODEL);
    static final int BACKUP_VERSION = 1;

    private final Database database;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;

    public SettingsService(Database database, AuditLog audit, JsonMapper json, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    public RetentionSettings retention() {
        return read(RETENTION, RetentionSettings.class, RetentionSettings.DEFAULTS);
    }

    /** Changes some retention windows; absent fields keep their value. */
    public RetentionSettings updateRetention(Actor actor, Map<String, ?> body) {
        return update(actor, RETENTION, this::parseRetention, body);
    }

    RetentionSettings parseRetention(Map<String, ?> body) {
        Input in = new Input(body).allowOnly(Set.of("audit_days", "worker_metrics_hours", "backups_kept"));
        RetentionSettings current = retention();
        RetentionSettings next = new RetentionSettings(in.integer("audit_days", 1, 3650, current.auditDays()),
                in.integer("worker_metrics_hours", 1, 24 * 30, current.workerMetricsHours()),
                in.integer("backups_kept", 1, 1000, current.backupsKept()));
        in.check();
        return next;
    }

    public SearchSettings search() {
        return read(SEARCH, SearchSettings.class, SearchSettings.DEFAULTS);
    }

    public SearchSettings updateSearch(Actor actor, Map<String, ?> body) {
        return update(actor, SEARCH, this::parseSearch, body);
    }

    SearchSettings parseSearch(Map<String, ?> body) {
        Input in = new Input(body).allowOnly(Set.of("too_close_threshold", "related_threshold"));
        SearchSettings current = search();
        SearchSettings next = new SearchSettings(in.decimal("too_close_threshold", 0.01, 1.0, current.tooCloseThreshold()),
                in.decimal("related_threshold", 0.01, 1.0, current.relatedThreshold()));
        in.check();
        if (next.relatedThreshold() >= next.tooCloseThreshold()) {
            throw new ValidationException("related_threshold",
                    "must be below too_close_threshold (" + next.tooCloseThreshold() + ")");
        }
        return next;
    }

    public SheetSettings sheets() {
        return read(SHEETS, SheetSettings.class, SheetSettings.NONE);
    }

    /**
     * Spreadsheet ids as Google shows them in the sheet's URL (…/spreadsheets/d/<id>/edit) and the worksheet names of
     * the three tables in them; a field left out keeps its value.
     */
    public SheetSettings updateSheets(Actor actor, Map<String, ?> body) {
        return update(actor, SHEETS, this::parseSheets, body);
    }

    /** The sheet settings {@code body} would save (validated like an update, nothing saved): what a test can try first. */
    public SheetSettings parseSheets(Map<String, ?> body) {
        Input in = new Input(body).allowOnly(Set.of("review_sheet_id", "published_sheet_id", "worksheets"));
        String review = sheetId(in, "review_sheet_id");
        String published = sheetId(in, "published_sheet_id");
        Worksheets worksheets = worksheets(in);
        in.check();
        SheetSettings current = sheets();
        SheetSettings next = new SheetSettings(in.has("review_sheet_id") ? review : current.reviewSheetId(),
                in.has("published_sheet_id") ? published : current.publishedSheetId(),
                in.has("worksheets") ? worksheets : current.worksheets());
        return next;
    }

    /** Characters Google Sheets refuses in a worksheet name. */
    private static final String FORBIDDEN_IN_WORKSHEET_NAMES = "[]*?/\\:";
    static final int WORKSHEET_NAME_MAX = 100;

    /**
     * The worksheet names in both spreadsheets: {@code worksheets} maps categories / experiences / manuals to tab
     * names and is the whole mapping — a table it leaves out (or sets to null) uses its default name.
     */
    private static Worksheets worksheets(Input in) {
        Input names = in.object("worksheets");
        if (names == null) {
            return Worksheets.DEFAULTS;
        }
        names.allowOnly(Set.copyOf(Worksheets.TABLES));
        Map<String, String> chosen = new LinkedHashMap<>();
        List<String> usable = new ArrayList<>(); // tables with a good name: a valid one given, or the default
        for (String table : Worksheets.TABLES) {
            String name = names.present(table) ? worksheetName(names, table) : null;
            if (name != null) {
                chosen.put(table, name);
            }
            if (name != null || !names.present(table)) {
                usable.add(table);
            }
        }
        Worksheets result = Worksheets.of(chosen);
        Map<String, String> resolved = result.byTable();
        // Google compares sheet titles ignoring case, so "manuals" and "Manuals" would be one tab.
        Map<String, String> seen = new LinkedHashMap<>();
        for (String table : usable) {
            String name = resolved.get(table);
            String other = seen.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), table);
            if (other != null) {
                // blame the name that was given (two defaults never clash)
                boolean blameThis = chosen.containsKey(table);
                names.error(blameThis ? table : other, "'" + name + "' is also the worksheet of " + (blameThis ? other : table)
                        + "; give each table its own worksheet (Google treats names that differ only in case as the same)");
            }
        }
        return result;
    }

    /** One given tab name, or null when it is one Google would refuse (reported, saying what to fix). */
    private static String worksheetName(Input names, String table) {
        String name = names.string(table);
        if (name == null) {
            return null;
        }
        if (name.isEmpty()) {
            names.error(table, "must not be blank; leave it out (or null) to use the default '"
                    + Worksheets.DEFAULTS.byTable().get(table) + "'");
            return null;
        }
        int length = name.codePointCount(0, name.length());
        if (length > WORKSHEET_NAME_MAX) {
            names.error(table, "is " + length + " characters; Google allows at most " + WORKSHEET_NAME_MAX + " in a worksheet name");
            return null;
        }
        for (char c : name.toCharArray()) {
            if (FORBIDDEN_IN_WORKSHEET_NAMES.indexOf(c) >= 0 || Character.isISOControl(c)) {
                names.error(table, "contains " + (Character.isISOControl(c) ? "a control character" : "'" + c + "'")
                        + ", which Google Sheets does not allow in a worksheet name; avoid [ ] * ? / \\ : and line breaks");
                return null;
            }
        }
        if (name.startsWith("'") || name.endsWith("'")) {
            names.error(table, "must not start or end with an apostrophe (')");
            return null;
        }
        return name;
    }

    private static String sheetId(Input in, String field) {
        String value = in.string(field);
        if (value == null) {
            return null;
        }
        java.util.regex.Matcher url = java.util.regex.Pattern.compile("/spreadsheets/d/([A-Za-z0-9_-]+)").matcher(value);
        String id = url.find() ? url.group(1) : value;
        if (!id.matches("[A-Za-z0-9_-]{10,200}")) {
            in.error(field, "is not a spreadsheet id; copy it from the sheet's URL: docs.google.com/spreadsheets/d/<id>/edit");
            return null;
        }
        return id;
    }

    public OperationsSettings operations() {
        return read(OPERATIONS, OperationsSettings.class, OperationsSettings.DEFAULTS);
    }

    public OperationsSettings updateOperations(Actor actor, Map<String, ?> body) {
        return update(actor, OPERATIONS, this::parseOperations, body);
    }

    OperationsSettings parseOperations(Map<String, ?> body) {
        Input in = new Input(body).allowOnly(Set.of("job_timeout_seconds", "telemetry_interval_seconds"));
        OperationsSettings current = operations();
        OperationsSettings next = new OperationsSettings(in.integer("job_timeout_seconds", 1, 24 * 60 * 60, current.jobTimeoutSeconds()),
                in.integer("telemetry_interval_seconds", 1, 60, current.telemetryIntervalSeconds()));
        in.check();
        return next;
    }

    public WorkerSettings workers() {
        return read(WORKERS, WorkerSettings.class, WorkerSettings.DEFAULTS);
    }

    public WorkerSettings updateWorkers(Actor actor, Map<String, ?> body) {
        return update(actor, WORKERS, this::parseWorkers, body);
    }

    WorkerSettings parseWorkers(Map<String, ?> body) {
        Input in = new Input(body).allowOnly(Set.of("count", "batch_size", "max_attempts"));
        WorkerSettings current = workers();
        WorkerSettings next = new WorkerSettings(in.integer("count", 1, 8, current.count()),
                in.integer("batch_size", 1, 256, current.batchSize()), in.integer("max_attempts", 1, 10, current.maxAttempts()));
        in.check();
        return next;
    }

    /** The configured embedding model (the default until someone chooses another). */
    public String modelId() {
        return read(MODEL, ModelSettings.class, new ModelSettings(EmbeddingModels.DEFAULT)).modelId();
    }

    /** Chooses the embedding model; it takes effect at the next start (index rebuilt, entries re-embedded). */
    public ModelSettings updateModel(Actor actor, Map<String, ?> body) {
        return update(actor, MODEL, this::parseModel, body);
    }

    ModelSettings parseModel(Map<String, ?> body) {
        List<String> available = EmbeddingModels.available();
        Input in = new Input(body).allowOnly(Set.of("model_id"));
        String model = in.requiredText("model_id", 64);
        if (model != null && !available.contains(model)) {
            in.error("model_id", "unknown model '" + model + "'; use one of " + String.join(", ", available));
        }
        in.check();
        return new ModelSettings(model);
    }

    /** Every section with its current value; never holds secrets. */
    public Map<String, Object> describe() {
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put(RETENTION, retention());
        sections.put(SEARCH, search());
        sections.put(WORKERS, workers());
        sections.put(OPERATIONS, operations());
        sections.put(SHEETS, sheets());
        sections.put(MODEL, Map.of("model_id", modelId(), "available", EmbeddingModels.available(),
                "note", "a change takes effect at the next start: the index is rebuilt and every entry embedded again"));
        return sections;
    }

    private <T> T read(String key, Class<T> type, T fallback) {
        return database.read(tx -> tx.settings().find(key))
                .map(row -> json.readValue(row.valueJson(), type))
                .orElse(fallback);
    }

    /**
     * Validates a section with {@code parse} and saves it, audited — in one write transaction, because a partial update
     * merges with the section as stored: two updates of different fields at once must both be kept, and cross-field
     * rules checked against the state they are saved over (the reads in {@code parse} join this transaction).
     */
    private <T> T update(Actor actor, String key, java.util.function.Function<Map<String, ?>, T> parse, Map<String, ?> body) {
        return database.write(tx -> {
            T next = parse.apply(body);
            save(actor, key, next);
            return next;
        });
    }

    private void save(Actor actor, String key, Object value) {
        saveAll(actor, Map.of(key, value), tx -> {});
    }

    /** Saves several sections in one transaction, one audit row each, and whatever {@code alsoRecord} adds. */
    private void saveAll(Actor actor, Map<String, Object> sections, java.util.function.Consumer<dev.chl.store.Tx> alsoRecord) {
        String now = Times.format(clock.instant());
        database.write(tx -> {
            sections.forEach((key, value) -> {
                String valueJson = json.writeValueAsString(value);
                tx.settings().put(new SettingRow(key, valueJson, null, now, null, now));
                audit.record(tx, actor, "settings.update", Map.of("section", key, "value", json.readValue(valueJson, Map.class)));
            });
            alsoRecord.accept(tx);
            return null;
        });
    }

    /** A configuration backup: every section's value, no secrets (the credential is not part of it). */
    /** The configuration backup as the file people download (the same JSON as the API's, indented). */
    public String backupFile() {
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(backup());
    }

    public Map<String, Object> backup() {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("format", "chl-settings");
        file.put("version", BACKUP_VERSION);
        file.put("exported_at", Times.format(clock.instant()));
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put(RETENTION, retention());
        sections.put(SEARCH, search());
        sections.put(WORKERS, workers());
        sections.put(OPERATIONS, operations());
        sections.put(SHEETS, sheets());
        sections.put(MODEL, new ModelSettings(modelId()));
        file.put("sections", json.convertValue(sections, Map.class));
        return file;
    }

    /** A configuration backup is a small JSON file; anything larger is not one. */
    public static final int BACKUP_MAX_BYTES = 256 * 1024;

    /** Restores a configuration backup from the uploaded file's bytes (see {@link #restore(Actor, Map)}). */
    public Map<String, Object> restoreFile(Actor actor, byte[] content) {
        if (content.length == 0 || content.length > BACKUP_MAX_BYTES) {
            throw new dev.chl.common.ValidationException("file", "a settings backup is a JSON file of at most 256 KB; this upload is "
                    + content.length + " bytes");
        }
        Map<String, Object> file;
        try {
            file = json.readValue(content, new tools.jackson.core.type.TypeReference<Map<String, Object>>() {});
        } catch (RuntimeException e) {
            throw new dev.chl.common.ValidationException("file", "not JSON; upload the file the settings backup download gave you");
        }
        if (file == null) {
            throw new dev.chl.common.ValidationException("file", "empty; upload the file the settings backup download gave you");
        }
        return restore(actor, file);
    }

    /**
     * Restores a configuration backup: the file and every section are validated first, then all sections are saved
     * together — or none — with an audit row per section and one for the restore.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> restore(Actor actor, Map<String, ?> file) {
        if (file == null) {
            throw new ValidationException("file", "not a CHL settings backup; upload the file GET /api/v1/settings/backup gave you");
        }
        Input in = new Input(file).allowOnly(Set.of("format", "version", "exported_at", "sections"));
        if (!"chl-settings".equals(file.get("format"))) {
            in.error("format", "must be chl-settings: upload the file GET /api/v1/settings/backup gave you");
        }
        Object version = file.get("version");
        if (!Integer.valueOf(BACKUP_VERSION).equals(version)) {
            // a newer file may hold sections or values this server would misread
            in.error("version", version == null ? "is required (" + BACKUP_VERSION + ")"
                    : !(version instanceof Number) ? "must be the number " + BACKUP_VERSION + ", not the text \"" + version + "\""
                    : "this backup has version " + version + "; this server reads version " + BACKUP_VERSION);
        }
        String exportedAt = in.string("exported_at");
        if (!(file.get("sections") instanceof Map<?, ?> raw) || raw.isEmpty()) {
            in.error("sections", "must be an object with at least one of " + String.join(", ", SECTIONS));
        }
        in.check();
        Map<String, Object> next = new LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        ((Map<String, Object>) file.get("sections")).forEach((key, value) -> {
            if (!SECTIONS.contains(key)) {
                errors.add(new FieldError(key, "unknown section; a backup has " + String.join(", ", SECTIONS)));
            } else if (!(value instanceof Map<?, ?> values)) {
                errors.add(new FieldError(key, "must be an object"));
            } else {
                try {
                    next.put(key, parseSection(key, (Map<String, ?>) values));
                } catch (ValidationException e) {
                    e.errors().forEach(f -> errors.add(new FieldError(key + "." + f.field(), f.message())));
                }
            }
        });
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        Map<String, Object> restore = new LinkedHashMap<>();
        restore.put("sections", List.copyOf(next.keySet()));
        restore.put("backup_exported_at", exportedAt);
        saveAll(actor, next, tx -> audit.record(tx, actor, "settings.restore", restore));
        return describe();
    }

    private Object parseSection(String key, Map<String, ?> values) {
        return switch (key) {
            case RETENTION -> parseRetention(values);
            case SEARCH -> parseSearch(values);
            case WORKERS -> parseWorkers(values);
            case OPERATIONS -> parseOperations(values);
            case SHEETS -> parseSheets(values);
            case MODEL -> parseModel(values);
            default -> throw new IllegalArgumentException(key);
        };
    }
}
