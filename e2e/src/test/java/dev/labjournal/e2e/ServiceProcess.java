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
 * What a service says about itself: readiness, the start time of its process (a restart changes it) and its counters,
 * from {@code /q/health/ready} and the Prometheus {@code /q/metrics}.
 */
record ServiceProcess(boolean ready, double startTime, String metrics) {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern START_TIME = Pattern.compile("(?m)^process_start_time_seconds(?:\\{[^}]*})? (\\S+)$");

    static ServiceProcess ingest() throws IOException, InterruptedException {
        return observe(Platform.INGEST_URL);
    }

    static ServiceProcess query() throws IOException, InterruptedException {
        return observe(Platform.QUERY_URL);
    }

    private static ServiceProcess observe(String baseUrl) throws IOException, InterruptedException {
        int ready = HTTP.send(request(baseUrl, "/q/health/ready"), HttpResponse.BodyHandlers.discarding())
                .statusCode();
        HttpResponse<String> metrics = HTTP.send(request(baseUrl, "/q/metrics"), HttpResponse.BodyHandlers.ofString());
        if (metrics.statusCode() != 200) {
            throw new IllegalStateException(baseUrl + "/q/metrics answered " + metrics.statusCode());
        }
        Matcher start = START_TIME.matcher(metrics.body());
        if (!start.find()) {
            throw new IllegalStateException(baseUrl + "/q/metrics has no process_start_time_seconds");
        }
        return new ServiceProcess(ready == 200, Double.parseDouble(start.group(1)), metrics.body());
    }

    /** ingest-service's {@code labjournal_ingest_dead_letters_total{code="..."}}, 0 when not yet counted. */
    long deadLetters(String code) {
        return counter("labjournal_ingest_dead_letters_total", "code", code);
    }

    /** The value of the counter {@code name} with the tag {@code tag="value"}, 0 when not yet counted. */
    long counter(String name, String tag, String value) {
        Matcher counter = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(tag) + "=\""
                        + Pattern.quote(value) + "\"[^}]*} (\\S+)$")
                .matcher(metrics);
        return counter.find() ? (long) Double.parseDouble(counter.group(1)) : 0;
    }

    private static HttpRequest request(String baseUrl, String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
    }
}
