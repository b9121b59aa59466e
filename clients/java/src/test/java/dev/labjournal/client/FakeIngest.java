package dev.labjournal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-process stand-in for the two endpoints the client calls: {@code POST /api/v1/events} of ingest and {@code GET
 * /api/v1/client-config} of the query service. It keeps the events it accepted, in arrival order.
 */
final class FakeIngest implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "lj_key_test";
    static final String TENANT = "acme";

    private final HttpServer server;
    private final List<JsonNode> accepted = new ArrayList<>();
    private final List<Integer> batchSizes = new ArrayList<>();
    private final AtomicInteger configRequests = new AtomicInteger();
    private volatile int status = 202;
    private volatile int failuresLeft;
    private volatile Predicate<JsonNode> refused = event -> false;
    private volatile String duplicatesAnswer = "{\"count\":0,\"outcomes\":{},\"runs\":[]}";
    private final List<JsonNode> duplicateQuestions = new ArrayList<>();

    FakeIngest() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/api/v1/events", this::events);
        server.createContext("/api/v1/client-config", this::clientConfig);
        server.createContext("/api/v1/duplicates", this::duplicates);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request answers this status (503: unavailable) and stores nothing, until set back to 202. */
    void answer(int status) {
        this.status = status;
    }

    /** The next n requests answer 503. */
    void failNext(int n) {
        failuresLeft = n;
    }

    /** A batch holding an event that matches is refused whole with a 400, as ingest does. */
    void refuse(Predicate<JsonNode> refused) {
        this.refused = refused;
    }

    /** What POST /api/v1/duplicates answers. */
    void duplicatesAnswer(String answer) {
        this.duplicatesAnswer = answer;
    }

    synchronized List<JsonNode> duplicateQuestions() {
        return List.copyOf(duplicateQuestions);
    }

    synchronized List<JsonNode> accepted() {
        return List.copyOf(accepted);
    }

    synchronized List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    int configRequests() {
        return configRequests.get();
    }

    /** The accepted events of one type (started, metrics, finished, ...). */
    List<JsonNode> ofType(String type) {
        return accepted().stream()
                .filter(event -> event.get("type").asText().equals("dev.labjournal.run." + type + ".v1"))
                .toList();
    }

    /** Every accepted metric point, in arrival order. */
    List<JsonNode> points() {
        List<JsonNode> points = new ArrayList<>();
        ofType("metrics").forEach(event -> event.get("data").get("metrics").forEach(points::add));
        return points;
    }

    private void events(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, 401, "{\"code\":\"unauthorized\"}");
            return;
        }
        if (status != 202 || failuresLeft > 0) {
            failuresLeft--;
            reply(exchange, status != 202 ? status : 503, "{\"code\":\"unavailable\"}");
            return;
        }
        JsonNode batch = JSON.readTree(body);
        List<String> ids = new ArrayList<>();
        for (JsonNode event : batch) {
            if (refused.test(event)) {
                reply(exchange, 400, "{\"code\":\"invalid_events\",\"message\":\"refused by the test\"}");
                return;
            }
            ids.add(event.get("id").asText());
        }
        synchronized (this) {
            batch.forEach(accepted::add);
            batchSizes.add(batch.size());
        }
        reply(
                exchange,
                202,
                JSON.createObjectNode().set("accepted", JSON.valueToTree(ids)).toString());
    }

    private void duplicates(HttpExchange exchange) throws IOException {
        JsonNode question = JSON.readTree(exchange.getRequestBody().readAllBytes());
        synchronized (this) {
            duplicateQuestions.add(question);
        }
        reply(exchange, 200, duplicatesAnswer);
    }

    private void clientConfig(HttpExchange exchange) throws IOException {
        configRequests.incrementAndGet();
        if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, 401, "{\"code\":\"unauthorized\"}");
            return;
        }
        reply(
                exchange,
                200,
                "{\"tenant\":\"" + TENANT + "\",\"team\":null,\"scopes\":[\"ingest\",\"read\"],\"ingest_url\":\""
                        + url() + "\",\"kafka\":{\"bootstrap_servers\":\"127.0.0.1:1\","
                        + "\"topic\":\"labjournal.run-events\"}}");
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
