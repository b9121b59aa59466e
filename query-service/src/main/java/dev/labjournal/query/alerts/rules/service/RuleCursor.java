package dev.labjournal.query.alerts.rules.service;

import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.alerts.rules.AlertRule;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Map;

/**
 * Where a page of rules starts: after the rule created at {@code createdAt} with {@code id} (rules are listed oldest
 * first). Opaque to clients; it names only the caller's own rules, since every read is confined to its tenant.
 */
public record RuleCursor(OffsetDateTime createdAt, String id) {

    public static RuleCursor after(AlertRule rule) {
        return new RuleCursor(rule.createdAt(), rule.id());
    }

    public String encode() {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a token of {@link #encode}; anything else is a 400. */
    public static RuleCursor decode(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            if (bar < 0) {
                throw new IllegalArgumentException("no separator");
            }
            return new RuleCursor(OffsetDateTime.parse(text.substring(0, bar)), text.substring(bar + 1));
        } catch (IllegalArgumentException | DateTimeException e) {
            throw ApiException.badRequest(
                    "invalid_page_token",
                    "page_token is not a token of this list: pass the next_page_token of the previous page",
                    Map.of("param", "page_token"));
        }
    }
}
