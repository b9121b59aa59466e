package dev.labjournal.query.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls to the application under test. */
final class Http {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Http() {}

    record Reply(int status, JsonNode body) {

        /** The error envelope's code, or null. */
        String errorCode() {
            return body == null ? null : body.path("error").path("code").asText(null);
        }
    }

    static Reply get(URI base, String path, String key) throws Exception {
        return send(request(base, path, key).GET());
    }

    static Reply post(URI base, String path, String key) throws Exception {
        return send(request(base, path, key).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpRequest.Builder request(URI base, String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return request;
    }

    private static Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return new Reply(response.statusCode(), body == null || body.isBlank() ? null : JSON.readTree(body));
    }

    /** Asserts the error envelope {"error": {"code", "message", "details"?}} and returns it. */
    static JsonNode envelope(Reply reply) {
        JsonNode error = reply.body().get("error");
        org.assertj.core.api.Assertions.assertThat(error)
                .as("error envelope of %s", reply.body())
                .isNotNull();
        org.assertj.core.api.Assertions.assertThat(error.get("code").asText()).isNotBlank();
        org.assertj.core.api.Assertions.assertThat(error.get("message").asText())
                .isNotBlank();
        org.assertj.core.api.Assertions.assertThat(reply.body().size()).isEqualTo(1);
        return error;
    }
}
