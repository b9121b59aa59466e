package dev.labjournal.query.alerts.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.labjournal.common.rest.ApiException;
import org.junit.jupiter.api.Test;

class AlertsResourceTest {

    @Test
    void aPageTokenCarriesTheLastSequenceNumber() {
        assertThat(AlertsResource.decode(AlertsResource.encode(42))).isEqualTo(42);
    }

    @Test
    void aTokenThisApiDidNotMakeIsA400() {
        for (String token : new String[] {"nonsense", "c2VxOmFiYw", "!!"}) {
            assertThatThrownBy(() -> AlertsResource.decode(token))
                    .isInstanceOf(ApiException.class)
                    .extracting(e -> ((ApiException) e).code())
                    .isEqualTo("invalid_page_token");
        }
    }

    @Test
    void aKindFilterNamesAKnownKind() {
        assertThat(AlertKinds.filter("run_lost")).isEqualTo("run_lost");
        assertThat(AlertKinds.filter(null)).isNull();
        assertThatThrownBy(() -> AlertKinds.filter("regression"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("metric_regression");
    }
}
