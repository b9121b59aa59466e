package dev.labjournal.schemas;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.resource.AllowSchemaLoader;
import com.networknt.schema.resource.ClasspathSchemaLoader;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The compiled JSON Schemas of the contract, loaded once from the classpath.
 *
 * <p>Schema ids ({@code https://labjournal.dev/schemas/...}) are mapped to {@code classpath:labjournal/schemas/...};
 * the JSON Schema meta-schemas come from networknt's own classpath copy. Any other location is refused, so loading
 * never touches the network. Format assertion is on ({@code date-time}, {@code uri}, {@code uri-reference} are
 * checked) and patterns use ECMA-262 end anchors.
 */
final class SchemaCatalog {
    static final String ID_PREFIX = "https://labjournal.dev/schemas/";
    static final String ENVELOPE_ID = ID_PREFIX + "envelope.v1.json";
    private static final String CLASSPATH_PREFIX = "classpath:labjournal/schemas/";
    private static final String TYPE_PREFIX = "dev.labjournal.";
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            // Not JSON_PATH: networknt's JSONPath writer throws on an empty property name ({"": 1}).
            // Our error paths are built from the path elements by JsonPaths, whatever this setting.
            .pathType(PathType.LEGACY)
            .formatAssertionsEnabled(true)
            .regularExpressionFactory(EcmaRegexFactory.INSTANCE)
            .locale(Locale.ENGLISH)
            .build();

    private final JsonSchema envelope;
    private final Map<String, JsonSchema> byType = new LinkedHashMap<>();
    private final Map<String, Set<String>> dataMembersByType = new LinkedHashMap<>();

    SchemaCatalog() {
        JsonSchemaFactory factory = factory();
        envelope = load(factory, ENVELOPE_ID);
        for (String type : EventTypes.ALL) {
            JsonSchema schema = load(factory, schemaId(type));
            byType.put(type, schema);
            dataMembersByType.put(type, definedMembers(schema));
        }
    }

    /**
     * @param file a schema of the contract that is not an event type's, for example {@code run-changes.v1.json}
     * @return that schema, compiled with the same settings as the event schemas
     */
    static JsonSchema load(String file) {
        return load(factory(), ID_PREFIX + file);
    }

    /** @return the id of the schema of a known event type, e.g. {@code .../run.started.v1.json} */
    static String schemaId(String type) {
        return ID_PREFIX + type.substring(TYPE_PREFIX.length()) + ".json";
    }

    /** @return the envelope schema, which every event must match */
    JsonSchema envelope() {
        return envelope;
    }

    /** @return the schema of {@code type} (envelope included), or null when the type is unknown */
    JsonSchema forType(String type) {
        return byType.get(type);
    }

    /**
     * @return the members of {@code data} that the schema of {@code type} defines (read from the schema itself, so
     *     the schema stays the one place that says what a type knows), or null when the type is unknown
     */
    Set<String> dataMembers(String type) {
        return dataMembersByType.get(type);
    }

    private static Set<String> definedMembers(JsonSchema schema) {
        Set<String> names = new HashSet<>();
        schema.getSchemaNode().at("/properties/data/properties").fieldNames().forEachRemaining(names::add);
        return Set.copyOf(names);
    }

    private static JsonSchemaFactory factory() {
        ClassLoader classLoader = SchemaCatalog.class.getClassLoader();
        return JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(ID_PREFIX, CLASSPATH_PREFIX))
                        .schemaLoaders(loaders -> loaders.add(new AllowSchemaLoader(
                                        iri -> iri.toString().startsWith("classpath:")))
                                .add(new ClasspathSchemaLoader(() -> classLoader))));
    }

    private static JsonSchema load(JsonSchemaFactory factory, String id) {
        JsonSchema schema = factory.getSchema(SchemaLocation.of(id), CONFIG);
        schema.initializeValidators();
        return schema;
    }
}
