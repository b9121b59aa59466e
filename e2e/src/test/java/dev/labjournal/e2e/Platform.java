package dev.labjournal.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The running platform under test. If it is not up, it is brought up with the project's own
 * {@code deploy/local/labjournal up}, exactly as a user would.
 */
final class Platform {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of(System.getProperty("labjournal.root", ".."))
            .toAbsolutePath()
            .normalize();
    static final String QUERY_URL = "http://127.0.0.1:" + env("LJ_QUERY_PORT", "8080");
    static final String INGEST_URL = "http://127.0.0.1:" + env("LJ_INGEST_PORT", "8081");
    static final String KAFKA = "127.0.0.1:" + env("LJ_KAFKA_PORT", "9092");
    static final String OPENSEARCH_URL = "http://127.0.0.1:" + env("LJ_OPENSEARCH_PORT", "9200");
    static final String JDBC_URL =
            "jdbc:postgresql://127.0.0.1:" + env("LJ_PG_PORT", "5432") + "/" + env("LJ_DB_NAME", "labjournal");

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(15);

    private static boolean checked;

    private Platform() {}

    /** A response: status and parsed JSON body (null when empty). */
    record Reply(int status, JsonNode body) {}

    static synchronized void ensureUp() throws IOException, InterruptedException {
        if (checked) {
            return;
        }
        if (!isReady(QUERY_URL) || !isReady(INGEST_URL)) {
            Process up = new ProcessBuilder(
                            ROOT.resolve("deploy/local/labjournal").toString(), "up")
                    .directory(ROOT.toFile())
                    .inheritIO()
                    .start();
            if (!up.waitFor(UP_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                up.destroyForcibly();
                throw new IllegalStateException("deploy/local/labjournal up did not finish in " + UP_TIMEOUT);
            }
            if (up.exitValue() != 0) {
                throw new IllegalStateException("deploy/local/labjournal up failed with exit code " + up.exitValue());
            }
        }
        checked = true;
    }

    static String adminKey() throws IOException {
        String stateDir =
                env("LJ_STATE_DIR", ROOT.resolve("deploy/local/.state").toString());
        return Files.readString(Path.of(stateDir, "admin-key")).trim();
    }

    static Reply get(String url, String key) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .GET()
                .build());
    }

    static Reply post(String url, String key, String contentType, String body)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    static Reply delete(String url, String key) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .DELETE()
                .build());
    }

    /** A request to OpenSearch itself (no key): {@code method} on {@code path}, with a JSON body or none. */
    static Reply openSearch(String method, String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(OPENSEARCH_URL + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    static Reply send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return new Reply(response.statusCode(), body == null || body.isBlank() ? null : JSON.readTree(body));
    }

    /** The body of a 200 answer as text (Prometheus metrics, for one); any other status fails. */
    static String sendForText(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static boolean isReady(String baseUrl) {
        try {
            HttpResponse<Void> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
