package dev.labjournal.schemas;

import com.networknt.schema.JsonSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Validates a JSON document of the contract that is not a run event, such as the run-changes message, against its
 * schema: with the strict parsing, schema settings, text check and error sentences of {@link EventValidator}, so that
 * every document of the contract is held to the same rules and explained the same way.
 *
 * <p>Build one instance per schema and share it: {@link #validate(byte[])} is thread-safe.
 */
public final class DocumentValidator {
    private final EventParser parser;
    private final JsonSchema schema;

    /**
     * Loads and compiles a schema of the contract from the classpath.
     *
     * @param schemaFile the schema's file name under {@code labjournal/schemas/}, for example {@code
     *     run-changes.v1.json}
     * @param document what the documents are, for error sentences, for example {@code "run-changes message"}
     * @throws com.networknt.schema.JsonSchemaException if the schema is missing or invalid (a packaging bug)
     */
    public DocumentValidator(String schemaFile, String document) {
        this.parser = new EventParser(Objects.requireNonNull(document, "document"));
        this.schema = SchemaCatalog.load(Objects.requireNonNull(schemaFile, "schemaFile"));
    }

    /**
     * Validates one document.
     *
     * @param json the document as UTF-8 JSON bytes
     * @return the parsed document (null if the bytes are not a JSON object) and the errors, at most {@value
     *     EventValidator#MAX_ERRORS}, empty when the document is valid
     */
    public ValidationResult validate(byte[] json) {
        EventParser.Parsed parsed = parser.parse(Objects.requireNonNull(json, "json"));
        if (parsed.error() != null) {
            return new ValidationResult(null, List.of(parsed.error()));
        }
        List<ValidationError> errors = new ArrayList<>();
        SchemaErrors.addAll(schema.validate(parsed.event()), errors, EventValidator.MAX_ERRORS);
        TextCheck.check(parsed.event(), errors, EventValidator.MAX_ERRORS);
        return new ValidationResult(parsed.event(), errors);
    }
}
