package dev.labjournal.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Completes the configuration into a {@link Target}: what it does not say (the tenant, the ingest address, the Kafka
 * brokers and topic) is asked once per process of {@code GET {LABJOURNAL_URL}/api/v1/client-config}, and what it
 * says (LABJOURNAL_INGEST_URL, LABJOURNAL_TENANT, ...) wins over the server's answer.
 */
final class TargetResolver {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The server's answers by URL and key: a process asks once. */
    private static final Map<String, JsonNode> ANSWERS = new ConcurrentHashMap<>();

    private final LabJournalConfig config;
    private final HttpClient http;

    TargetResolver(LabJournalConfig config, HttpClient http) {
        this.config = config;
        this.http = http;
    }

    Target resolve() throws DeliveryException {
        boolean kafka = config.transport() == LabJournalConfig.Transport.KAFKA;
        boolean known =
                config.tenant() != null && (kafka ? config.kafkaBootstrap() != null : config.ingestUrl() != null);
        JsonNode server = known ? null : clientConfig();
        String tenant = config.tenant() != null ? config.tenant() : text(server, "tenant");
        URI ingestUrl = config.ingestUrl() != null
                ? config.ingestUrl()
                : server == null || text(server, "ingest_url") == null ? null : URI.create(text(server, "ingest_url"));
        JsonNode serverKafka = server == null ? null : server.get("kafka");
        String bootstrap =
                config.kafkaBootstrap() != null ? config.kafkaBootstrap() : text(serverKafka, "bootstrap_servers");
        String topic = config.topic() != null
                ? config.topic()
                : text(serverKafka, "topic") != null ? text(serverKafka, "topic") : LabJournalConfig.DEFAULT_TOPIC;
        if (tenant == null || (kafka ? bootstrap == null : ingestUrl == null)) {
            throw new DeliveryException(
                    DeliveryException.Kind.REFUSED_CLIENT,
                    config.url() + "/api/v1/client-config did not tell the " + (tenant == null ? "tenant" : "address")
                            + " to publish to");
        }
        return new Target(tenant, ingestUrl, bootstrap, topic);
    }

    private JsonNode clientConfig() throws DeliveryException {
        String cacheKey = config.url() + "\n" + config.apiKey();
        JsonNode cached = ANSWERS.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        URI uri = URI.create(stripSlash(config.url().toString()) + "/api/v1/client-config");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + config.apiKey())
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeliveryException(DeliveryException.Kind.RETRYABLE, uri + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(DeliveryException.Kind.RETRYABLE, "interrupted asking " + uri, e);
        }
        if (response.statusCode() != 200) {
            DeliveryException.Kind kind = DeliveryException.ofStatus(response.statusCode());
            throw new DeliveryException(
                    kind == DeliveryException.Kind.REFUSED_EVENTS ? DeliveryException.Kind.REFUSED_CLIENT : kind,
                    uri + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            JsonNode answer = EventEncoder.JSON.readTree(response.body());
            ANSWERS.put(cacheKey, answer);
            return answer;
        } catch (IOException e) {
            throw new DeliveryException(DeliveryException.Kind.RETRYABLE, uri + " answered no JSON: " + e, e);
        }
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
