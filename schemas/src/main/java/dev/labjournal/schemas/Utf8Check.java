package dev.labjournal.schemas;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 check of raw event bytes, before Jackson sees them.
 *
 * <p>Jackson accepts some ill-formed UTF-8 (encoded surrogates, overlong forms) and guesses UTF-16 or UTF-32 when
 * the first bytes contain 0x00. The JDK decoder rejects every ill-formed sequence, and a raw 0x00 byte is never
 * valid in JSON text, so rejecting both here makes the input unambiguous UTF-8.
 */
final class Utf8Check {
    private static final int CHUNK_CHARS = 8192;

    private Utf8Check() {}

    /**
     * @param document what the bytes are, for the sentence: {@code "event"}, {@code "run-changes message"}
     * @return why {@code bytes} are not strict, NUL-free UTF-8 (a sentence with the position), or null if they are
     */
    static String problem(byte[] bytes, String document) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return "The " + document + " contains a NUL byte (0x00) " + position(bytes, i)
                        + "; JSON text must be UTF-8 without raw control characters.";
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.min(CHUNK_CHARS, bytes.length + 1));
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return "The " + document + " is not valid UTF-8: ill-formed byte sequence "
                        + position(bytes, in.position()) + "; it must be encoded in UTF-8.";
            }
            if (result.isUnderflow()) {
                return null;
            }
            out.clear();
        }
    }

    private static String position(byte[] bytes, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "at byte offset " + offset + " (line " + line + ", byte " + (offset - lineStart + 1) + " of the line)";
    }
}
