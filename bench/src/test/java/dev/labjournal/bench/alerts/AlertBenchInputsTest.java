package dev.labjournal.bench.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.labjournal.bench.BenchException;
import dev.labjournal.schemas.EventValidator;
import dev.labjournal.schemas.ValidationResult;
import org.junit.jupiter.api.Test;

/** What the alerts benchmark sends is valid run events, and its options parse as documented. */
class AlertBenchInputsTest {

    private static final EventValidator VALIDATOR = new EventValidator();
    private final RunEvents events = new RunEvents("bench-alerts-1", "bench-alerts");

    @Test
    void everyEventItPublishesIsAValidRunEvent() {
        for (byte[] event : new byte[][] {
            events.started("probe-1"),
            events.loss("probe-1", 0.5),
            events.load("load-1", 200, 100),
            events.succeeded("probe-1")
        }) {
            ValidationResult result = VALIDATOR.validate(event);
            assertThat(result.errors()).isEmpty();
            assertThat(result.event().get("subject").asText()).isIn("probe-1", "load-1");
        }
        assertThat(VALIDATOR
                        .validate(events.load("load-1", 0, 100))
                        .event()
                        .at("/data/metrics")
                        .size())
                .isEqualTo(100);
        assertThat(VALIDATOR
                        .validate(events.load("load-1", 7, 3))
                        .event()
                        .at("/data/metrics/2/step")
                        .asLong())
                .isEqualTo(9);
    }

    @Test
    void optionsHaveTheDocumentedDefaultsAndRejectNonsense() {
        AlertOptions defaults = AlertOptions.parse(new String[0]);
        assertThat(defaults.probes()).isEqualTo(100);
        assertThat(defaults.loadPointsPerSecond()).isEqualTo(50_000);
        assertThat(defaults.loadPointsPerEvent()).isEqualTo(1_000);
        assertThatThrownBy(() -> AlertOptions.parse(new String[] {"--load-points-per-event=0"}))
                .isInstanceOf(BenchException.class);
        assertThat(defaults.topic()).isEqualTo("labjournal.run-events");

        assertThat(AlertOptions.parse(new String[] {"--probes=7"}).probes()).isEqualTo(7);
        assertThatThrownBy(() -> AlertOptions.parse(new String[] {"--probes=many"}))
                .isInstanceOf(BenchException.class);
        assertThatThrownBy(() -> AlertOptions.parse(new String[] {"probes"})).isInstanceOf(BenchException.class);
    }
}
