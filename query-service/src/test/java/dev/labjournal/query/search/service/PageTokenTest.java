package dev.labjournal.query.search.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.labjournal.common.rest.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch._types.FieldValue;

class PageTokenTest {

    @Test
    void aTokenRoundTripsItsSortValues() {
        PageToken token = PageToken.of(List.of(FieldValue.of(1.25), FieldValue.of("run-9")));

        PageToken decoded = PageToken.decode(token.encode());

        assertThat(decoded.toFieldValues().get(0).doubleValue()).isEqualTo(1.25);
        assertThat(decoded.toFieldValues().get(1).stringValue()).isEqualTo("run-9");
    }

    @Test
    void aTokenThisServerDidNotMakeIsABadRequest() {
        for (String garbage : List.of("%%%", "e30", "W10", "bm90IGpzb24")) {
            assertThatThrownBy(() -> PageToken.decode(garbage))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("page_token");
        }
    }
}
