package dev.chl.settings;

/**
 * What is known about the stored service-account credential: never the key itself. {@code fileProblem} says why its key
 * file cannot be used any more (deleted or changed on disk since it validated); null while it can.
 */
public record CredentialInfo(String clientEmail, String projectId, String sha256, String validatedAt, String path, String fileProblem) {
    /** "valid", or "unusable" when the key file is gone or changed. */
    public String status() {
        return fileProblem == null ? "valid" : "unusable";
    }

    /** The first characters of the checksum, enough for a person to compare two uploads. */
    public String checksumPrefix() {
        return sha256.substring(0, 12);
    }
}
