package io.dino.gateway.edge.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.io.IOException;

/**
 * Reads JSON trees whose numbers are written back exactly as the client wrote them. Jackson's own tree
 * turns a fraction into a double, so {@code 1e400} came back as {@code "Infinity"} and
 * {@code 0.1000000000000000055511151231257827} as {@code 0.1}: a body is the sender's data, and the
 * gateway must relay it unchanged.
 *
 * <p>Fractions and exponents (and {@code -0}, which a whole-number node would print as {@code 0}) become
 * raw-text nodes: they are not whole numbers, so protocol fields that want one still refuse them. Whole
 * numbers stay numeric nodes (int, long or BigInteger), whose text is the client's.
 */
public final class ExactNumbers extends StdDeserializer<JsonNode> {

    private ExactNumbers() {
        super(JsonNode.class);
    }

    /** Makes {@code mapper.readTree} keep numbers exactly and refuse text after the first JSON value. */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new SimpleModule("dino-exact-numbers").addDeserializer(JsonNode.class, new ExactNumbers()))
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @Override
    public JsonNode deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        return read(parser, context.getNodeFactory());
    }

    /** A JSON null is a NullNode, as in Jackson's own trees (a Java null would read as a missing field). */
    @Override
    public JsonNode getNullValue(DeserializationContext context) {
        return context.getNodeFactory().nullNode();
    }

    private static JsonNode read(JsonParser parser, JsonNodeFactory nodes) throws IOException {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                    parser.nextToken();
                    object.set(name, read(parser, nodes));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(read(parser, nodes));
                }
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> parser.getIntValue() == 0 && parser.getText().startsWith("-")
                        ? raw(parser, nodes) : nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> raw(parser, nodes);
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new IllegalStateException("unexpected JSON token " + token);
        };
    }

    private static JsonNode raw(JsonParser parser, JsonNodeFactory nodes) throws IOException {
        return nodes.rawValueNode(new RawValue(parser.getText()));
    }
}
