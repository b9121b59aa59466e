package dev.labjournal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Blocking JSON over HTTP for the benchmark: query-service with a key, OpenSearch without. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** An answer: status, parsed body (null when not JSON) and how long the request took. */
    public record Reply(int status, JsonNode body, String text, long nanos) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public Reply get(String url, String key) {
        return send(request(url, key).GET().build());
    }

    public Reply send(String method, String url, String key, String contentType, byte[] body) {
        HttpRequest.Builder request = request(url, key)
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    public Reply postJson(String url, String key, Object body) {
        try {
            return send("POST", url, key, "application/json", JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body of a 2xx answer; anything else ends the benchmark with what was asked and answered. */
    public static JsonNode expectOk(String what, Reply reply) {
        if (!reply.ok()) {
            throw new BenchException(1, what + " answered " + reply.status() + ": " + reply.text());
        }
        return reply.body();
    }

    private static HttpRequest.Builder request(String url, String key) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Accept", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return request;
    }

    private Reply send(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            long nanos = System.nanoTime() - start;
            JsonNode body = null;
            try {
                body = response.body().isEmpty() ? null : JSON.readTree(response.body());
            } catch (IOException notJson) {
                // the text is kept for the error message
            }
            return new Reply(response.statusCode(), body, response.body(), nanos);
        } catch (IOException e) {
            throw new BenchException(BenchException.UNREACHABLE, request.uri() + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException(1, "interrupted");
        }
    }
}
