package dev.labjournal.query.alerts.delivery.webhook;

import dev.labjournal.query.alerts.delivery.DeliveryConfig;
import dev.labjournal.query.alerts.delivery.service.Attempt;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Posts an alert to a webhook receiver, signed per Standard Webhooks: {@code webhook-id} (the alert id, the same on
 * every attempt, so receivers can drop repeats), {@code webhook-timestamp} (this attempt's time) and {@code
 * webhook-signature}. Only http and https URLs; redirects are not followed (a 3xx is a failed attempt); connecting
 * and answering are each bounded by a timeout. Made at start ({@link Startup}), so the first alert does not wait for
 * the client.
 */
@Startup
@ApplicationScoped
public class WebhookSender {

    private static final Set<String> SCHEMES = Set.of("http", "https");

    private final HttpClient http;
    private final Duration requestTimeout;

    public WebhookSender(DeliveryConfig config) {
        // HTTP/1.1: on plain http the JDK client would otherwise offer an h2c upgrade (Connection: Upgrade,
        // HTTP2-Settings), which some receivers and proxies refuse.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = config.requestTimeout();
    }

    /** One attempt; never fails: a refused connection or a timeout is an attempt without a status code. */
    public Uni<Attempt> send(String url, String secret, String webhookId, byte[] body) {
        Instant started = Instant.now();
        HttpRequest request;
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                return Uni.createFrom().item(Attempt.refused(started, "only http and https webhook URLs are allowed"));
            }
            long timestamp = started.getEpochSecond();
            request = HttpRequest.newBuilder(uri)
                    .timeout(requestTimeout)
                    .header("content-type", "application/json")
                    .header("user-agent", "labjournal-alerts/1")
                    .header("webhook-id", webhookId)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", WebhookSignature.sign(secret, webhookId, timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Attempt.refused(started, "cannot send to this webhook: " + e.getMessage()));
        }
        return Uni.createFrom()
                .completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(response -> Attempt.answered(
                        started,
                        response.statusCode(),
                        RetryAfter.parse(
                                        response.headers()
                                                .firstValue("retry-after")
                                                .orElse(null),
                                        Instant.now())
                                .orElse(null)))
                .onFailure()
                .recoverWithItem(e -> Attempt.unanswered(started, describe(e)));
    }

    private static String describe(Throwable e) {
        Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
