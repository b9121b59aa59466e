package dev.labjournal.schemas;

import com.networknt.schema.JsonNodePath;
import java.util.regex.Pattern;

/** Writes instance locations as normalized JSONPath strings (RFC 9535), for example {@code $.data.params['lr/0']}. */
final class JsonPaths {
    static final String ROOT = "$";
    private static final Pattern SHORTHAND = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private JsonPaths() {}

    /** @return the JSONPath of a networknt instance location */
    static String of(JsonNodePath location) {
        StringBuilder path = new StringBuilder(ROOT);
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                appendMember(path, element.toString());
            }
        }
        return path.toString();
    }

    /** @return {@code parent} followed by the member {@code name} */
    static String child(String parent, String name) {
        return appendMember(new StringBuilder(parent), name).toString();
    }

    private static StringBuilder appendMember(StringBuilder path, String name) {
        if (SHORTHAND.matcher(name).matches()) {
            return path.append('.').append(name);
        }
        path.append("['");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '\'' -> path.append("\\'");
                case '\\' -> path.append("\\\\");
                case '\b' -> path.append("\\b");
                case '\f' -> path.append("\\f");
                case '\n' -> path.append("\\n");
                case '\r' -> path.append("\\r");
                case '\t' -> path.append("\\t");
                default -> {
                    if (c < 0x20) {
                        path.append(String.format("\\u%04x", (int) c));
                    } else {
                        path.append(c);
                    }
                }
            }
        }
        return path.append("']");
    }
}
