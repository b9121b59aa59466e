package dev.labjournal.query.alerts.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Alert ids: {@code alrt_} and 24 hex digits of the SHA-256 of rule id, run id and kind, so replays give the same id. */
public final class AlertIds {

    private AlertIds() {}

    /** The id of the alert of {@code ruleId} about {@code runId} of {@code kind}. */
    public static String of(String ruleId, String runId, String kind) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((ruleId + '\0' + runId + '\0' + kind).getBytes(StandardCharsets.UTF_8));
            return "alrt_" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
