package dev.labjournal.query.alerts.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.common.rest.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleDocumentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void theNormalFormFillsInDefaultsAndReadsBackToTheSameRule() throws Exception {
        AlertRule rule = RuleDocuments.parse(json("{\"name\": \"n\", \"filter\": \"params.lr = '0.1'\","
                + " \"kind\": \"metric_regression\", \"metric\": \"loss\", \"goal\": \"minimize\","
                + " \"baseline\": {\"type\": \"mean_of_last\", \"n\": 3}, \"evaluate\": \"live\","
                + " \"channels\": [{\"type\": \"webhook\", \"url\": \"https://example.com/h\"}]}"));
        JsonNode normal = RuleDocuments.definition(rule);
        assertThat(normal.get("tolerance").toString()).isEqualTo("{\"absolute\":0.0}");
        assertThat(normal.get("min_step").asLong()).isZero();
        assertThat(normal.get("project").isNull()).isTrue();
        assertThat(rule.selector()).isNotNull();
        AlertRule again = RuleDocuments.parse(normal);
        assertThat(RuleDocuments.definition(again)).isEqualTo(normal);
        assertThat(again.check()).isEqualTo(rule.check());
    }

    @Test
    void aKindWithoutMetricKeepsNoMetricMembers() throws Exception {
        AlertRule rule = RuleDocuments.parse(json(
                "{\"name\": \"n\", \"project\": \"p\", \"kind\": \"run_lost\", \"channels\": [{\"type\": \"sse\"}]}"));
        assertThat(rule.check()).isNull();
        assertThat(RuleDocuments.definition(rule).has("metric")).isFalse();
    }

    @Test
    void aBadFilterIsTheFilterParsersErrorWithItsColumn() throws Exception {
        ApiException e = catchThrowableOfType(
                ApiException.class,
                () -> RuleDocuments.parse(json("{\"name\": \"n\", \"filter\": \"params.lr = \", \"kind\": \"run_lost\","
                        + " \"channels\": [{\"type\": \"sse\"}]}")));
        assertThat(e.code()).isEqualTo("invalid_filter");
        assertThat(e.details()).isEqualTo(Map.of("path", "$.filter", "column", 13));
    }

    @Test
    void webhookUrlsAreHttpOrHttpsWithAHostAndNoCredentials() throws Exception {
        for (String url :
                new String[] {"file:///etc/passwd", "http:///x", "https://user:pw@example.com/", "javascript:x"}) {
            ApiException e = catchThrowableOfType(
                    ApiException.class,
                    () -> RuleDocuments.parse(json("{\"name\": \"n\", \"project\": \"p\", \"kind\": \"run_lost\","
                            + " \"channels\": [{\"type\": \"sse\"}, {\"type\": \"webhook\", \"url\": \"" + url
                            + "\"}]}")));
            assertThat(e).as(url).isNotNull();
            assertThat(((Map<?, ?>) e.details()).get("path")).as(url).isEqualTo("$.channels[1].url");
        }
    }
}
