package dev.labjournal.query.search.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.labjournal.common.rest.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch._types.FieldValue;

class PageTokenTest {

    @Test
    void aTokenRoundTripsItsSortValuesAndPointInTime() {
        PageToken token = new PageToken(
                "s1",
                List.of(
                        FieldValue.of(1.25),
                        FieldValue.of(Long.MIN_VALUE),
                        FieldValue.NULL,
                        FieldValue.of(true),
                        FieldValue.of("run-9")),
                "pit-1");

        PageToken decoded = PageToken.decode(token.encode(), "s1");

        assertThat(decoded.sortValues().get(0).doubleValue()).isEqualTo(1.25);
        assertThat(decoded.sortValues().get(1).longValue()).isEqualTo(Long.MIN_VALUE);
        assertThat(decoded.sortValues().get(2).isNull()).isTrue();
        assertThat(decoded.sortValues().get(3).booleanValue()).isTrue();
        assertThat(decoded.sortValues().get(4).stringValue()).isEqualTo("run-9");
        assertThat(decoded.pit()).isEqualTo("pit-1");
        assertThat(PageToken.decode(new PageToken("s1", List.of(FieldValue.of(1L)), null).encode(), "s1")
                        .pit())
                .isNull();
    }

    @Test
    void aTokenThisServerDidNotMakeIsABadRequest() {
        for (String garbage : List.of("%%%", "e30", "W10", "bm90IGpzb24", "WzEsMl0")) {
            assertThatThrownBy(() -> PageToken.decode(garbage, "s1"))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("page_token");
        }
    }

    @Test
    void aTokenOfAnotherSearchIsABadRequest() {
        String token = new PageToken("s1", List.of(FieldValue.of(1L)), null).encode();

        assertThatThrownBy(() -> PageToken.decode(token, "s2"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("another search");
    }
}
