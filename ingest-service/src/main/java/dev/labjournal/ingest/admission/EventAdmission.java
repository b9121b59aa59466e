package dev.labjournal.ingest.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.ingest.domain.EventTimes;
import dev.labjournal.ingest.domain.InvalidEventException;
import dev.labjournal.ingest.domain.RunEvent;
import dev.labjournal.schemas.EventValidator;
import dev.labjournal.schemas.UnknownMember;
import dev.labjournal.schemas.ValidationError;
import dev.labjournal.schemas.ValidationResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Validates the bytes of one structured CloudEvent against the schemas and turns it into a {@link RunEvent}. */
@ApplicationScoped
public class EventAdmission {

    private static final String SOURCE_PROJECTS = "/projects/";

    private final EventValidator validator = new EventValidator();

    /** The outcome for one event: exactly one of {@code event} and {@code errors} is set. */
    public record Admitted(RunEvent event, List<ValidationError> errors) {
        public boolean accepted() {
            return event != null;
        }
    }

    public Admitted admit(byte[] structuredJson, RunEvent.SourcePosition position) {
        ValidationResult result = validator.validate(structuredJson);
        if (!result.isValid()) {
            return new Admitted(null, result.errors());
        }
        JsonNode event = result.event();
        try {
            checkPointTimes(event.get("data").path("metrics"));
            return new Admitted(toRunEvent(event, result.unknownMembers(), structuredJson, position), null);
        } catch (InvalidEventException e) {
            return new Admitted(null, List.of(new ValidationError("schema_violation", e.path(), e.getMessage())));
        }
    }

    private static RunEvent toRunEvent(
            JsonNode event, List<UnknownMember> unknownMembers, byte[] raw, RunEvent.SourcePosition position) {
        String source = event.get("source").asText();
        return new RunEvent(
                event.get("id").asText(),
                event.get("type").asText(),
                event.get("tenant").asText(),
                source.substring(source.indexOf(SOURCE_PROJECTS) + SOURCE_PROJECTS.length()),
                event.get("subject").asText(),
                EventTimes.parse(event.get("time").asText(), "$.time"),
                event.get("data"),
                unknownMembers,
                raw,
                position);
    }

    private static void checkPointTimes(JsonNode points) {
        for (int i = 0; i < points.size(); i++) {
            JsonNode time = points.get(i).get("time");
            if (time != null) {
                EventTimes.parse(time.asText(), "$.data.metrics[" + i + "].time");
            }
        }
    }
}
