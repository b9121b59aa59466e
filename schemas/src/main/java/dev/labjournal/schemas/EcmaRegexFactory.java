package dev.labjournal.schemas;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.regex.Pattern;

/**
 * Compiles JSON Schema {@code pattern}s with {@link java.util.regex} but gives {@code $} its ECMA-262 meaning.
 *
 * <p>In Java, {@code $} also matches before a final line terminator, so {@code ^[a-z]+$} would accept {@code
 * "acme\n"}. JSON Schema patterns are ECMA-262 regular expressions, where {@code $} (without the multiline flag)
 * matches only at the end of the input; this factory rewrites every unescaped {@code $} outside a character class to
 * {@code \z}. Like networknt's default, a pattern matches when it is found anywhere in the value.
 */
final class EcmaRegexFactory implements RegularExpressionFactory {
    static final EcmaRegexFactory INSTANCE = new EcmaRegexFactory();

    private EcmaRegexFactory() {}

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(anchorEndOfInput(regex));
        return value -> pattern.matcher(value).find();
    }

    static String anchorEndOfInput(String regex) {
        StringBuilder out = new StringBuilder(regex.length() + 4);
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                out.append(c).append(regex.charAt(++i));
            } else if (inClass) {
                inClass = c != ']';
                out.append(c);
            } else if (c == '[') {
                inClass = true;
                out.append(c);
            } else if (c == '$') {
                out.append("\\z");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
