package dev.labjournal.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** {@code POST /api/v1/events} of the ingest service, as CloudEvents batches of at most 1,000 events. */
final class HttpTransport implements Transport {

    /** The ingest service takes at most 1,000 events and 16 MiB per request; half of it leaves room. */
    static final int MAX_EVENTS = 1000;

    static final int MAX_BYTES = 8 * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI endpoint;
    private final String apiKey;

    HttpTransport(HttpClient http, URI ingestUrl, String apiKey) {
        this.http = http;
        this.endpoint = URI.create(TargetResolver.stripSlash(ingestUrl.toString()) + "/api/v1/events");
        this.apiKey = apiKey;
    }

    @Override
    public void send(List<Outgoing> events) throws DeliveryException {
        int from = 0;
        while (from < events.size()) {
            int to = from;
            long bytes = 0;
            while (to < events.size()
                    && to - from < MAX_EVENTS
                    && (to == from || bytes + events.get(to).json().length < MAX_BYTES)) {
                bytes += events.get(to).json().length + 1;
                to++;
            }
            post(events.subList(from, to));
            from = to;
        }
    }

    private void post(List<Outgoing> events) throws DeliveryException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(events.get(i).json());
        }
        body.write(']');
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/cloudevents-batch+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeliveryException(DeliveryException.Kind.RETRYABLE, endpoint + " cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(DeliveryException.Kind.RETRYABLE, "interrupted posting to " + endpoint, e);
        }
        if (response.statusCode() != 202 && response.statusCode() != 200) {
            throw new DeliveryException(
                    DeliveryException.ofStatus(response.statusCode()),
                    endpoint + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    @Override
    public void close() {
        // The HttpClient is shared by the process.
    }
}
