package dev.labjournal.query.alerts.delivery.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook-signature} of Standard Webhooks (https://www.standardwebhooks.com/): {@code v1,} and the base64
 * HMAC-SHA256 of {@code {webhook-id}.{webhook-timestamp}.{body}}, keyed with the secret's bytes, which are the base64
 * text after its {@code whsec_} prefix.
 */
public final class WebhookSignature {

    /** The prefix of a signing secret. */
    public static final String SECRET_PREFIX = "whsec_";

    private WebhookSignature() {}

    /**
     * @param secret the channel's secret, {@code whsec_} and base64
     * @param id the {@code webhook-id}
     * @param timestamp the {@code webhook-timestamp} (epoch seconds)
     * @param body the exact bytes of the request body
     */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable in this JVM", e);
        }
    }

    private static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        if (key.length == 0) {
            throw new IllegalArgumentException("a webhook secret has key bytes after " + SECRET_PREFIX);
        }
        return key;
    }
}
