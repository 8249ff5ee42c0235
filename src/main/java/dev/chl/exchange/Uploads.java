package dev.chl.exchange;

import dev.chl.common.NotFoundException;
import dev.chl.common.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * Uploaded workbooks, kept under {@code <data>/uploads/} by a random id. The stored name is the id, never the
 * client's file name (no path ever comes from the client); size is capped while streaming; the content must be a zip
 * (an .xlsx workbook or a zip of CSV files).
 */
public final class Uploads {
    public static final long MAX_BYTES = 50L * 1024 * 1024;
    private static final String ID_TEXT = "upl-[a-z0-9]{20}";
    private static final Pattern ID = Pattern.compile("^" + ID_TEXT + "$");
    /** The file an upload's bytes are kept in; its description is the same id with .json. */
    static final Pattern FILE = Pattern.compile(ID_TEXT + "\\.bin");

    private final Path folder;
    private final JsonMapper json;
    private final SecureRandom random = new SecureRandom();

    public Uploads(Path folder, JsonMapper json) {
        this.folder = folder;
        this.json = json;
    }

    /** What the client gets back: {@code {upload_id, filename, size, sha256}}. */
    public record Upload(String uploadId, String filename, long size, String sha256, String format) {}

    public Upload save(String filename, InputStream content) throws IOException {
        Files.createDirectories(folder);
        String id = "upl-" + randomId();
        Path target = folder.resolve(id + ".bin");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        try (InputStream in = new DigestInputStream(content, sha); OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                size += n;
                if (size > MAX_BYTES) {
                    throw new ValidationException("file", "the upload is larger than " + (MAX_BYTES >> 20) + " MB");
                }
                out.write(buffer, 0, n);
            }
        } catch (ValidationException | IOException e) {
            Files.deleteIfExists(target);
            throw e;
        }
        String format;
        try {
            format = sniff(target);
        } catch (ValidationException e) {
            Files.deleteIfExists(target);
            throw e;
        }
        String shown = safeName(filename);
        Upload upload = new Upload(id, shown, size, HexFormat.of().formatHex(sha.digest()), format);
        Files.writeString(folder.resolve(id + ".json"), json.writeValueAsString(Map.of("upload_id", id, "filename", shown,
                "size", size, "sha256", upload.sha256(), "format", format)));
        return upload;
    }

    /** The stored file and its format for {@code upload:<id>}. */
    public Map.Entry<Path, String> resolve(String uploadId) throws IOException {
        if (!ID.matcher(uploadId).matches()) {
            throw new ValidationException("source", "'" + uploadId + "' is not an upload id; use the upload_id from POST /api/v1/uploads");
        }
        Path file = folder.resolve(uploadId + ".bin");
        if (!Files.exists(file)) {
            throw new NotFoundException("no upload '" + uploadId + "'; upload the workbook again");
        }
        return Map.entry(file, sniff(file));
    }

    /** The file name an upload was made with, or null when the id is malformed or its record is gone. */
    public String filename(String uploadId) {
        if (uploadId == null || !ID.matcher(uploadId).matches()) {
            return null;
        }
        try {
            return json.readTree(Files.readString(folder.resolve(uploadId + ".json"))).path("filename").asString(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** "xlsx" or "csv" by looking inside the zip; anything else is refused. */
    static String sniff(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) {
                throw new ValidationException("file", "upload an .xlsx workbook or a zip of CSV files; this file is neither");
            }
        }
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            if (zip.getEntry("xl/workbook.xml") != null) {
                return "xlsx";
            }
            boolean csv = zip.stream().anyMatch(e -> e.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"));
            if (csv) {
                return "csv";
            }
            throw new ValidationException("file", "the zip holds neither an .xlsx workbook nor CSV files");
        } catch (java.util.zip.ZipException e) {
            throw new ValidationException("file", "the upload is not a readable zip (" + e.getMessage() + ")");
        }
    }

    private static String safeName(String filename) {
        if (filename == null) {
            return "upload";
        }
        String base = filename.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._ -]", "_");
        // "." and ".." name a directory, not a file: never hand them back as a file name
        return base.isBlank() || base.matches("\\.+") ? "upload" : base.length() > 120 ? base.substring(0, 120) : base;
    }

    private String randomId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
