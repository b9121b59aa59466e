package dev.labjournal.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A webhook receiver started by a test (the JDK's HttpServer on 127.0.0.1): it records every request and answers what
 * the test's script says.
 */
final class WebhookReceiver implements AutoCloseable {

    /** A request received. */
    record Received(Instant at, String id, String timestamp, String signature, byte[] body) {}

    /** An answer: status and headers. */
    record Answer(int status, Map<String, String> headers) {
        static Answer status(int status) {
            return new Answer(status, Map.of());
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private volatile Function<Received, Answer> script = r -> Answer.status(200);

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** What to answer from now on, given the request (which is already recorded). */
    void answer(Function<Received, Answer> script) {
        this.script = script;
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    List<Received> receivedFor(String webhookId) {
        return received.stream().filter(r -> webhookId.equals(r.id())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        var headers = exchange.getRequestHeaders();
        Received request = new Received(
                Instant.now(),
                headers.getFirst("webhook-id"),
                headers.getFirst("webhook-timestamp"),
                headers.getFirst("webhook-signature"),
                body);
        received.add(request);
        Answer answer = script.apply(request);
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(answer.status(), -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
