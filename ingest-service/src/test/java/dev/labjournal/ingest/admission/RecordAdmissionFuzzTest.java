package dev.labjournal.ingest.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.labjournal.ingest.domain.Rejection;
import dev.labjournal.ingest.domain.RunEvent;
import dev.labjournal.ingest.kafka.DeadLetters;
import dev.labjournal.schemas.Topics;
import dev.labjournal.schemas.ValidationError;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Fuzzes what the consumer does with one Kafka record before the database: {@link StructuredEvents#toStructured}
 * (binary-mode {@code ce_*} headers or a structured value) and then {@link EventAdmission#admit}. Whatever the
 * record, toStructured either returns bytes or throws its documented {@link IllegalArgumentException} with a message;
 * admit never throws, and returns either a run event with every envelope attribute the normaliser needs, or errors
 * that make a complete dead letter (code, path and reason).
 *
 * <p>Inputs are decoded by {@link FuzzedRecord}. In a normal build this runs in Jazzer's regression mode on the
 * seeds under {@code RecordAdmissionFuzzTestInputs/} on the test classpath: the contract's examples (copied there by
 * the build) and a few binary-mode records. {@code JAZZER_FUZZ=1} turns it into a real fuzzing run: see {@code
 * EventValidatorFuzzTest} in the schemas module for the command.
 */
class RecordAdmissionFuzzTest {

    private static final EventAdmission ADMISSION = new EventAdmission();
    private static final RunEvent.SourcePosition POSITION =
            new RunEvent.SourcePosition(Topics.RUN_EVENTS, 0, 42L, "run-1", List.of());

    @FuzzTest(maxDuration = "60s")
    void admitNeverThrows(byte[] input) {
        FuzzedRecord record = FuzzedRecord.decode(input);

        byte[] structured;
        try {
            structured = StructuredEvents.toStructured(Topics.RUN_EVENTS, record.headers(), record.value());
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage())
                    .as("the reason of an unreadable binary-mode record")
                    .isNotBlank();
            assertDeadLetterable(new Rejection("malformed_cloudevent", "$", e.getMessage(), new byte[0], POSITION));
            return;
        }
        assertThat(structured).isNotNull();

        EventAdmission.Admitted admitted = ADMISSION.admit(structured, POSITION);

        assertThat(admitted).isNotNull();
        if (admitted.accepted()) {
            RunEvent event = admitted.event();
            assertThat(admitted.errors()).isNull();
            assertThat(event.id()).isNotBlank();
            assertThat(event.type()).isNotBlank();
            assertThat(event.tenant()).isNotBlank();
            assertThat(event.project()).isNotBlank();
            assertThat(event.runId()).isNotBlank();
            assertThat(event.time()).isNotNull();
            assertThat(event.data()).isNotNull();
            assertThat(event.data().isObject()).isTrue();
        } else {
            assertThat(admitted.errors()).as("the errors of a refused event").isNotEmpty();
            for (ValidationError error : admitted.errors()) {
                assertThat(error.code()).as("code of %s", error).isNotBlank();
                assertThat(error.path()).as("path of %s", error).startsWith("$");
                assertThat(error.reason()).as("reason of %s", error).isNotBlank();
                assertDeadLetterable(new Rejection(error.code(), error.path(), error.reason(), structured, POSITION));
            }
        }
    }

    private static void assertDeadLetterable(Rejection rejection) {
        ProducerRecord<String, byte[]> deadLetter = DeadLetters.of(rejection, Topics.RUN_EVENTS_DLQ, 2 * 1024 * 1024);
        assertThat(deadLetter.headers().lastHeader(DeadLetters.CODE)).isNotNull();
        assertThat(deadLetter.headers().lastHeader(DeadLetters.REASON)).isNotNull();
    }
}
