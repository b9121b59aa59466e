package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** Alert rules made through the API, as a user makes them: POST /api/v1/alert-rules. */
final class AlertRules {

    static final String URL = Platform.QUERY_URL + "/api/v1/alert-rules";

    private AlertRules() {}

    /** Creates the rule of this JSON body with a key of the alerts scope; the 201's body (id, channel secrets). */
    static JsonNode create(String writerKey, String body) throws Exception {
        Platform.Reply reply = Platform.post(URL, writerKey, "application/json", body);
        assertThat(reply.status()).as("create rule: %s", reply.body()).isEqualTo(201);
        return reply.body();
    }
}
