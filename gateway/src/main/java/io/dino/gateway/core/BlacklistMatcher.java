package io.dino.gateway.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds blacklisted words and phrases in a message body, in one pass over the body's text, without regular
 * expressions. Immutable: built once per change of the blacklist and shared by every sending thread.
 *
 * <p>What matches: text is cut into <em>words</em>, maximal runs of Unicode letters, digits and combining marks
 * (everything else — spaces, punctuation, symbols, emoji — separates words); words are compared lower-cased
 * ({@link Locale#ROOT}). An entry is a sequence of one or more words ({@link #words}: {@code "Bad-Word"} is the
 * phrase {@code bad word}); it matches where the same words follow each other in one string value of the body,
 * whatever separates them. So {@code ass} matches {@code "You ASS!"} but not {@code "class"} or {@code "assess"}, and
 * {@code 口} matches only a string holding {@code 口} as a word of its own (scripts without spaces between words,
 * such as Chinese or Japanese, need each listed form as its own word).
 *
 * <p>The body is JSON text in compact form (how bodies are kept): the values of its strings are matched, at any
 * depth, not object keys, numbers or literals. Cost: one scan of the body; per word, one lower-casing and one hash
 * lookup (more only while a phrase's first words match). An empty matcher costs nothing.
 */
public final class BlacklistMatcher {

    /** Matches nothing. */
    public static final BlacklistMatcher EMPTY = new BlacklistMatcher(List.of());

    private final Node root = new Node();
    private final boolean empty;

    /** A matcher for the given entries, each already in the form {@link #words} gives (words joined by single spaces). */
    public BlacklistMatcher(Collection<String> entries) {
        for (String entry : entries) {
            List<String> words = words(entry);
            if (words.isEmpty()) {
                continue;
            }
            Node node = root;
            for (String word : words) {
                node = node.next.computeIfAbsent(word, w -> new Node());
            }
            node.entry = String.join(" ", words);
        }
        this.empty = root.next.isEmpty();
    }

    public boolean isEmpty() {
        return empty;
    }

    /** The words of a text, lower-cased, in order: the normal form of a blacklist entry is them joined by spaces. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        forEachWord(text, words::add);
        return words;
    }

    /** The entries the body's string values contain, distinct, in the order they first occur; empty for none. */
    public List<String> matches(String bodyJson) {
        if (empty) {
            return List.of();
        }
        Set<String> found = null;
        int length = bodyJson.length();
        int i = 0;
        while (i < length) {
            if (bodyJson.charAt(i) != '"') {
                i++;
                continue;
            }
            int start = i + 1;
            int end = start;
            boolean escaped = false;
            while (end < length && bodyJson.charAt(end) != '"') {
                if (bodyJson.charAt(end) == '\\') {
                    escaped = true;
                    end++;
                }
                end++;
            }
            i = end + 1;
            if (i < length && bodyJson.charAt(i) == ':') {
                continue;  // an object key
            }
            String value = escaped ? unescape(bodyJson, start, Math.min(end, length)) : bodyJson.substring(start, Math.min(end, length));
            found = matchValue(value, found);
        }
        return found == null ? List.of() : List.copyOf(found);
    }

    private Set<String> matchValue(String value, Set<String> found) {
        List<String> words = new ArrayList<>();
        forEachWord(value, words::add);
        for (int i = 0; i < words.size(); i++) {
            Node node = root;
            for (int j = i; j < words.size(); j++) {
                node = node.next.get(words.get(j));
                if (node == null) {
                    break;
                }
                if (node.entry != null) {
                    found = found == null ? new LinkedHashSet<>() : found;
                    found.add(node.entry);
                }
                if (node.next.isEmpty()) {
                    break;
                }
            }
        }
        return found;
    }

    private static void forEachWord(String text, java.util.function.Consumer<String> word) {
        int length = text.length();
        int start = -1;
        for (int i = 0; i < length; ) {
            int cp = text.codePointAt(i);
            boolean inWord = isWordPart(cp);
            if (inWord && start < 0) {
                start = i;
            } else if (!inWord && start >= 0) {
                word.accept(text.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            word.accept(text.substring(start).toLowerCase(Locale.ROOT));
        }
    }

    private static boolean isWordPart(int cp) {
        if (cp < 0x80) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        }
        if (Character.isLetterOrDigit(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /** The text of a JSON string's characters {@code [start, end)}, escapes resolved. */
    private static String unescape(String json, int start, int end) {
        StringBuilder text = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = json.charAt(i);
            if (c != '\\' || i + 1 >= end) {
                text.append(c);
                continue;
            }
            char e = json.charAt(++i);
            switch (e) {
                case 'n', 'r', 't', 'b', 'f' -> text.append(' ');
                case 'u' -> {
                    if (i + 4 < end) {
                        text.append((char) Integer.parseInt(json, i + 1, i + 5, 16));
                        i += 4;
                    }
                }
                default -> text.append(e);
            }
        }
        return text.toString();
    }

    private static final class Node {
        final Map<String, Node> next = new HashMap<>(4);
        String entry;
    }
}
