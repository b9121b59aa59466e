package dev.labjournal.ingest.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.schemas.UnknownMember;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unknown members of events' {@code data} (fields the schema of their type does not define, typically sent by a
 * newer client), gathered per run to be kept in the run's {@code extra}: keyed by member name, the value as sent. A
 * later event's member of the same name overwrites an earlier one, in the order of the events (that of the run's
 * partition); the database merges the result over what the run holds already in the same way.
 */
public final class RunExtras {

    private RunExtras() {}

    /** @return per run with unknown members among {@code events}, those members merged in event order */
    public static Map<RunKey, ObjectNode> of(List<RunEvent> events) {
        Map<RunKey, ObjectNode> extras = new LinkedHashMap<>();
        for (RunEvent event : events) {
            if (event.unknownMembers().isEmpty()) {
                continue;
            }
            ObjectNode extra = extras.computeIfAbsent(event.runKey(), run -> JsonNodeFactory.instance.objectNode());
            for (UnknownMember member : event.unknownMembers()) {
                JsonNode value = event.data().get(member.name());
                if (value != null) {
                    extra.set(member.name(), value);
                }
            }
        }
        return extras;
    }

    /** @return how many unknown members {@code events} carry, by event type (types without any left out) */
    public static Map<String, Long> countByType(List<RunEvent> events) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (RunEvent event : events) {
            if (!event.unknownMembers().isEmpty()) {
                counts.merge(event.type(), (long) event.unknownMembers().size(), Long::sum);
            }
        }
        return counts;
    }
}
