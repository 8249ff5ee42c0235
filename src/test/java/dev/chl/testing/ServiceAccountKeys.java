package dev.chl.testing;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Google service-account JSON keys signed by a key pair made here (no Google account involved). */
public final class ServiceAccountKeys {
    private ServiceAccountKeys() {}

    /** A key file for {@code account} whose token endpoint is {@code tokenUri} (a local fake, or never called). */
    public static String generate(String account, String tokenUri) {
        KeyPairGenerator generator;
        try {
            generator = KeyPairGenerator.getInstance("RSA");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("type", "service_account");
        key.put("project_id", "chl-project");
        key.put("private_key_id", "0123456789abcdef");
        key.put("private_key", pem);
        key.put("client_email", account);
        key.put("client_id", "123456789");
        key.put("token_uri", tokenUri);
        return Http.JSON.writeValueAsString(key);
    }
}
