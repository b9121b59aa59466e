package dev.labjournal.query.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.labjournal.common.rest.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HistoryCursorTest {

    @Test
    void aTokenComesBackAsTheCursorItWasMadeFromNanIncluded() {
        for (double value : new double[] {0.25, -0.0, Double.NaN, Double.NEGATIVE_INFINITY}) {
            HistoryCursor cursor =
                    new HistoryCursor(new Sample(42, OffsetDateTime.parse("2026-12-01T10:00:00.123456Z"), value), 3);
            assertThat(HistoryCursor.decode(cursor.encode())).isEqualTo(cursor);
        }
    }

    @Test
    void aTokenThisServerDidNotMakeIsABadRequest() {
        String notJson = "not-a-token";
        String wrongShape = Base64.getUrlEncoder().encodeToString("[1, 2]".getBytes(StandardCharsets.UTF_8));
        String noneSeen = Base64.getUrlEncoder()
                .encodeToString("[1, \"2026-12-01T10:00Z\", 0, 0]".getBytes(StandardCharsets.UTF_8));
        for (String token : new String[] {notJson, wrongShape, noneSeen}) {
            assertThatThrownBy(() -> HistoryCursor.decode(token))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_page_token"));
        }
    }
}
