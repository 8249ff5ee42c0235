package dev.chl.settings;

import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.chl.audit.AuditLog;
import dev.chl.common.Times;
import dev.chl.common.ValidationException;
import dev.chl.model.Actor;
import dev.chl.store.Database;
import dev.chl.store.SettingRow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Google service-account credential. An upload is validated (the fields Google needs, a parseable private key)
 * before it replaces anything; the file goes to {@code <data>/credentials/} with mode 0600 and the database keeps only
 * its path, SHA-256, account and validation time. The key never reaches the database, a log line or an API answer.
 */
public final class CredentialStore {
    public static final int MAX_BYTES = 64 * 1024;
    private static final java.util.regex.Pattern PARTIAL_KEY = java.util.regex.Pattern.compile("service-account-[0-9a-f]{12}\\.json\\.partial");
    static final String KEY = "credentials";
    private static final List<String> REQUIRED = List.of("type", "project_id", "private_key_id", "private_key", "client_email", "token_uri");

    private final Database database;
    private final AuditLog audit;
    private final JsonMapper json;
    private final Clock clock;
    private final Path folder;

    public CredentialStore(Database database, AuditLog audit, JsonMapper json, Clock clock, Path folder) {
        this.database = database;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.folder = folder;
    }

    /** A key file a killed process left half-written ({@code service-account-<sha>.json.partial}); run at start-up. */
    public void clearLeftovers() {
        dev.chl.common.Leftovers.clear(folder, PARTIAL_KEY, dev.chl.common.Leftovers.Shape.FILES, "a partial key file");
    }

    public Optional<CredentialInfo> current() {
        return database.read(tx -> tx.settings().find(KEY)).map(row -> {
            JsonNode v = json.readTree(row.valueJson());
            String path = v.path("path").asString();
            return new CredentialInfo(v.path("client_email").asString(), v.path("project_id").asString(), row.checksum(),
                    row.validatedAt(), path, fileProblem(Path.of(path), row.checksum()));
        });
    }

    /** Why the stored key file cannot be used (the database only points at it), or null when it is the one validated. */
    private static String fileProblem(Path file, String sha256) {
        try {
            if (sha256(Files.readAllBytes(file)).equals(sha256)) {
                return null;
            }
            return "the key file " + file + " changed on disk after it was validated; upload the JSON key again";
        } catch (IOException e) {
            return "the key file " + file + " is missing or unreadable; upload the JSON key again";
        }
    }

    /** Validates and stores a new credential; the previous one stays in force until this one has validated. */
    public CredentialInfo upload(Actor actor, byte[] content) {
        if (content.length == 0 || content.length > MAX_BYTES) {
            throw new ValidationException("file", "a service-account key is a small JSON file (at most 64 KB); this upload is "
                    + content.length + " bytes");
        }
        JsonNode key;
        try {
            key = json.readTree(content);
        } catch (RuntimeException e) {
            throw new ValidationException("file", "not JSON: upload the service-account key file Google Cloud gave you (Keys → Add key → JSON)");
        }
        if (key == null || !key.isObject()) {
            throw new ValidationException("file", "not a JSON object: upload the service-account key file");
        }
        List<String> missing = REQUIRED.stream().filter(f -> !key.path(f).isString() || key.path(f).asString().isBlank()).toList();
        if (!missing.isEmpty()) {
            throw new ValidationException("file", "the key lacks " + String.join(", ", missing) + "; download a new JSON key for the service account");
        }
        if (!"service_account".equals(key.path("type").asString())) {
            throw new ValidationException("file", "type is '" + key.path("type").asString() + "'; a service-account key has type service_account");
        }
        try {
            ServiceAccountCredentials.fromStream(new ByteArrayInputStream(content));
        } catch (IOException | RuntimeException e) {
            throw new ValidationException("file", "the private key cannot be read; download a fresh JSON key for the service account");
        }
        String sha = sha256(content);
        Path target = folder.resolve("service-account-" + sha.substring(0, 12) + ".json");
        write(target, content);
        String now = Times.format(clock.instant());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("path", target.toString());
        meta.put("client_email", key.path("client_email").asString());
        meta.put("project_id", key.path("project_id").asString());
        Optional<CredentialInfo> previous = current();
        database.write(tx -> {
            tx.settings().put(new SettingRow(KEY, json.writeValueAsString(meta), sha, now, "Google service account", now));
            audit.record(tx, actor, "settings.credentials", Map.of("client_email", meta.get("client_email"), "sha256_prefix", sha.substring(0, 12)));
            return null;
        });
        previous.filter(p -> !p.path().equals(target.toString())).ifPresent(p -> deleteQuietly(Path.of(p.path())));
        return new CredentialInfo((String) meta.get("client_email"), (String) meta.get("project_id"), sha, now, target.toString(), null);
    }

    /** The key file for the Sheets client, or a message saying how to provide one. */
    public Path keyFile() {
        CredentialInfo info = current().orElseThrow(() -> new ValidationException("credentials",
                "no Google service-account credential yet; upload its JSON key in Settings (POST /api/v1/settings/credentials)"));
        if (info.fileProblem() != null) {
            throw new ValidationException("credentials", info.fileProblem());
        }
        return Path.of(info.path());
    }

    private void write(Path target, byte[] content) {
        try {
            Files.createDirectories(folder);
            trySetPermissions(folder, "rwx------");
            Path partial = folder.resolve(target.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            Files.createFile(partial);
            trySetPermissions(partial, "rw-------");
            Files.write(partial, content, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the credential under " + folder, e);
        }
    }

    private static void trySetPermissions(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the folder's ACL applies
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // an old key left behind is removed at the next upload
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
