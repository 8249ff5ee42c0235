package dev.chl.settings;

/** What is known about the stored service-account credential: never the key itself. */
public record CredentialInfo(String clientEmail, String projectId, String sha256, String validatedAt, String path) {
    /** The first characters of the checksum, enough for a person to compare two uploads. */
    public String checksumPrefix() {
        return sha256.substring(0, 12);
    }
}
