package dev.labjournal.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What ingest-service says about itself: readiness, the start time of its process (a restart changes it) and its
 * dead-letter counters, from {@code /q/health/ready} and the Prometheus {@code /q/metrics}.
 */
record IngestProcess(boolean ready, double startTime, String metrics) {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern START_TIME = Pattern.compile("(?m)^process_start_time_seconds(?:\\{[^}]*})? (\\S+)$");

    static IngestProcess observe() throws IOException, InterruptedException {
        int ready = HTTP.send(request("/q/health/ready"), HttpResponse.BodyHandlers.discarding())
                .statusCode();
        HttpResponse<String> metrics = HTTP.send(request("/q/metrics"), HttpResponse.BodyHandlers.ofString());
        if (metrics.statusCode() != 200) {
            throw new IllegalStateException("ingest-service /q/metrics answered " + metrics.statusCode());
        }
        Matcher start = START_TIME.matcher(metrics.body());
        if (!start.find()) {
            throw new IllegalStateException("ingest-service /q/metrics has no process_start_time_seconds");
        }
        return new IngestProcess(ready == 200, Double.parseDouble(start.group(1)), metrics.body());
    }

    /** The value of {@code labjournal_ingest_dead_letters_total{code="..."}}, 0 when not yet counted. */
    long deadLetters(String code) {
        Matcher counter = Pattern.compile("(?m)^labjournal_ingest_dead_letters_total\\{[^}]*code=\""
                        + Pattern.quote(code) + "\"[^}]*} (\\S+)$")
                .matcher(metrics);
        return counter.find() ? (long) Double.parseDouble(counter.group(1)) : 0;
    }

    private static HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(Platform.INGEST_URL + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
    }
}
