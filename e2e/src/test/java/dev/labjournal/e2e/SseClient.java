package dev.labjournal.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client of GET /api/v1/alerts/stream, parsing the text/event-stream format (events separated by
 * a blank line; {@code id:}, {@code event:}, {@code data:} fields; {@code :} comments) on a thread of its own.
 */
final class SseClient implements AutoCloseable {

    /** An event, or a comment ({@code comment} set, id, event and data null), and when it was read. */
    record Event(String id, String event, String data, String comment, Instant at) {}

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final HttpResponse<InputStream> response;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();

    private SseClient(String url, String key, String lastEventId) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Thread reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream of {@code baseUrl}'s query-service; {@code lastEventId} may be null. */
    static SseClient open(String baseUrl, String query, String key, String lastEventId) throws IOException {
        return new SseClient(baseUrl + "/api/v1/alerts/stream" + (query == null ? "" : "?" + query), key, lastEventId);
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("content-type").orElse(null);
    }

    /** The next {@code alert} event, skipping comments; fails after {@code timeout}. */
    Event nextAlert(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            Event event = left > 0 ? events.poll(left, TimeUnit.MILLISECONDS) : null;
            if (event == null) {
                throw new AssertionError("no alert event on the stream within " + timeout);
            }
            if (event.comment() == null) {
                return event;
            }
        }
    }

    /** The next {@code n} alert events. */
    List<Event> nextAlerts(int n, Duration timeout) throws InterruptedException {
        List<Event> alerts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            alerts.add(nextAlert(timeout));
        }
        return alerts;
    }

    /** The next comment, skipping events (which are kept for nothing: use it on a quiet stream). */
    Event nextComment(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            Event event = left > 0 ? events.poll(left, TimeUnit.MILLISECONDS) : null;
            if (event == null) {
                throw new AssertionError("no comment on the stream within " + timeout);
            }
            if (event.comment() != null) {
                return event;
            }
        }
    }

    /** Alert events that arrive within {@code quiet}: what a test expects to be none. */
    List<Event> alertsWithin(Duration quiet) throws InterruptedException {
        List<Event> alerts = new ArrayList<>();
        Instant deadline = Instant.now().plus(quiet);
        while (true) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            Event event = left > 0 ? events.poll(left, TimeUnit.MILLISECONDS) : null;
            if (event == null) {
                return alerts;
            }
            if (event.comment() == null) {
                alerts.add(event);
            }
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name, data.toString(), null, Instant.now()));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    events.add(new Event(null, null, null, line.substring(1).trim(), Instant.now()));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> name = value;
                        case "data" ->
                            data = data == null
                                    ? new StringBuilder(value)
                                    : data.append('\n').append(value);
                        default -> {}
                    }
                }
            }
        } catch (IOException e) {
            // the stream was closed (by close(), or the server went away)
        }
    }

    /** Closes the body stream itself (not its reader, whose lock the reading thread holds): the read ends at once. */
    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
