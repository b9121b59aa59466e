package dev.labjournal.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates run events in CloudEvents JSON structured mode against the Lab Journal contract.
 *
 * <p>Checks, in order: the size ({@link Limits#MAX_EVENT_BYTES}, before parsing); the bytes are one strict UTF-8
 * JSON object without duplicate keys, nested at most 64 levels; the envelope and, for a known {@code type}, the
 * schema of that type (an unknown type is reported and only the envelope is checked); no string holds U+0000 or an
 * unpaired surrogate; the {@code tenant} attribute equals the tenant segment of {@code source}, and an optional {@code
 * data.project} equals its project segment (the project travels in {@code source}; a {@code data.project} that names
 * another one would leave the event's project ambiguous). All errors found are reported, at most 20.
 *
 * <p>Readers are tolerant: a top-level member of {@code data} that the type's schema does not define (an optional field
 * of a newer client) is accepted and listed in {@link ValidationResult#unknownMembers()}, so that the event is kept and
 * the member flagged rather than the run dead-lettered. Unknown members are still subject to the size limit and the
 * text check; the defined members, and every object nested in them, stay strict.
 *
 * <p>Build one instance and share it: construction loads and compiles every schema from the classpath (never from
 * the network), and {@link #validate(byte[])} is thread-safe.
 */
public final class EventValidator {
    /** The most errors one result reports. */
    static final int MAX_ERRORS = 20;

    private static final Pattern SOURCE_TENANT = Pattern.compile("^/tenants/([^/]*)/");
    private static final Pattern SOURCE_PROJECT = Pattern.compile("/tenants/[^/]*/projects/([^/]*)");

    private final EventParser parser = new EventParser();
    private final SchemaCatalog schemas = new SchemaCatalog();

    /**
     * Loads and compiles the schemas.
     *
     * @throws com.networknt.schema.JsonSchemaException if a schema resource is missing or invalid (a packaging bug)
     */
    public EventValidator() {}

    /**
     * Validates one event.
     *
     * @param structuredCloudEventJson the event as UTF-8 JSON bytes (CloudEvents structured mode)
     * @return the parsed event (null if the bytes are not a JSON object), the errors (empty when the event is valid)
     *     and the unknown members of {@code data}
     */
    public ValidationResult validate(byte[] structuredCloudEventJson) {
        Objects.requireNonNull(structuredCloudEventJson, "structuredCloudEventJson");
        int size = structuredCloudEventJson.length;
        if (size > Limits.MAX_EVENT_BYTES) {
            return new ValidationResult(
                    null,
                    List.of(new ValidationError(
                            ValidationError.TOO_LARGE,
                            JsonPaths.ROOT,
                            "The event is " + size + " bytes, more than the limit of " + Limits.MAX_EVENT_BYTES
                                    + " bytes (1 MiB); split metric batches or shorten long texts.")));
        }
        EventParser.Parsed parsed = parser.parse(structuredCloudEventJson);
        if (parsed.error() != null) {
            return new ValidationResult(null, List.of(parsed.error()));
        }
        JsonNode event = parsed.event();
        if (isMetricsEventCertainlyValid((ObjectNode) event)) {
            return new ValidationResult(event, List.of(), unknownMembers(event));
        }
        return validateInFull(event);
    }

    /**
     * The fast path for run.metrics: the schema and the text check see the event with its first point only, and
     * {@link MetricPointCheck} every point; "false" means "not sure", and the event is validated in full.
     */
    private boolean isMetricsEventCertainlyValid(ObjectNode event) {
        JsonNode type = event.get("type");
        if (type == null || !EventTypes.RUN_METRICS.equals(type.textValue())) {
            return false;
        }
        ObjectNode shell = MetricPointCheck.withFirstPointOnly(event);
        if (shell == null) {
            return false;
        }
        ValidationResult result = validateInFull(shell);
        return result.isValid() && MetricPointCheck.allPointsValid(event);
    }

    /**
     * Validation with the schema of the event's type, the text check, and the tenant and project checks, without
     * shortcuts.
     */
    ValidationResult validateInFull(JsonNode event) {
        List<ValidationError> errors = new ArrayList<>();
        JsonSchema schema = schemaFor(event.get("type"), errors);
        SchemaErrors.addAll(schema.validate(event), errors, MAX_ERRORS);
        TextCheck.check(event, errors, MAX_ERRORS);
        if (errors.size() < MAX_ERRORS && noErrorAt(errors, "$.tenant", "$.source")) {
            checkTenant(event, errors);
        }
        if (errors.size() < MAX_ERRORS && noErrorAt(errors, "$.source", "$.data.project")) {
            checkProject(event, errors);
        }
        return new ValidationResult(event, errors, unknownMembers(event));
    }

    private List<UnknownMember> unknownMembers(JsonNode event) {
        JsonNode type = event.get("type");
        JsonNode data = event.get("data");
        Set<String> defined = type == null || !type.isTextual() ? null : schemas.dataMembers(type.textValue());
        if (defined == null || data == null || !data.isObject()) {
            return List.of();
        }
        List<UnknownMember> unknown = new ArrayList<>();
        data.fieldNames().forEachRemaining(name -> {
            if (!defined.contains(name)) {
                unknown.add(UnknownMember.ofData(name));
            }
        });
        return unknown;
    }

    private JsonSchema schemaFor(JsonNode type, List<ValidationError> errors) {
        if (type == null || !type.isTextual()) {
            return schemas.envelope();
        }
        JsonSchema schema = schemas.forType(type.textValue());
        if (schema != null) {
            return schema;
        }
        errors.add(new ValidationError(
                ValidationError.UNKNOWN_TYPE,
                "$.type",
                "Unknown event type " + Snippets.quote(type.textValue()) + "; known types are "
                        + String.join(", ", EventTypes.ALL) + "."));
        return schemas.envelope();
    }

    private static boolean noErrorAt(List<ValidationError> errors, String... paths) {
        List<String> checked = List.of(paths);
        return errors.stream().map(ValidationError::path).noneMatch(checked::contains);
    }

    private static void checkTenant(JsonNode event, List<ValidationError> errors) {
        JsonNode tenant = event.get("tenant");
        JsonNode source = event.get("source");
        if (tenant == null || !tenant.isTextual() || source == null || !source.isTextual()) {
            return;
        }
        Matcher matcher = SOURCE_TENANT.matcher(source.textValue());
        if (matcher.find() && !matcher.group(1).equals(tenant.textValue())) {
            errors.add(new ValidationError(
                    ValidationError.TENANT_MISMATCH,
                    "$.tenant",
                    "The tenant attribute " + Snippets.quote(tenant.textValue()) + " differs from the tenant "
                            + Snippets.quote(matcher.group(1)) + " named by source "
                            + Snippets.quote(source.textValue())
                            + "; they must be equal."));
        }
    }

    private static void checkProject(JsonNode event, List<ValidationError> errors) {
        JsonNode project = event.path("data").get("project");
        JsonNode source = event.get("source");
        if (project == null || !project.isTextual() || source == null || !source.isTextual()) {
            return;
        }
        Matcher matcher = SOURCE_PROJECT.matcher(source.textValue());
        if (matcher.matches() && !matcher.group(1).equals(project.textValue())) {
            errors.add(new ValidationError(
                    ValidationError.PROJECT_MISMATCH,
                    "$.data.project",
                    "The project " + Snippets.quote(project.textValue()) + " in data differs from the project "
                            + Snippets.quote(matcher.group(1)) + " named by source "
                            + Snippets.quote(source.textValue())
                            + "; the project travels in source, so omit data.project or make them equal."));
        }
    }
}
