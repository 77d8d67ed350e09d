package io.dino.gateway.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds blacklisted words and phrases in a message body, in one pass over the body's text, without regular
 * expressions and without allocating for text that matches nothing. Immutable: built once per change of the
 * blacklist and shared by every sending thread.
 *
 * <p>What matches: text is cut into <em>words</em>, maximal runs of Unicode letters, digits and combining marks
 * (everything else — spaces, punctuation, symbols, emoji, {@code _} — separates words); characters are compared
 * lower-cased one by one ({@link Character#toLowerCase(int)}). An entry is a sequence of one or more words
 * ({@link #words}: {@code "Bad-Word"} is the phrase {@code bad word}); it matches where the same words follow each
 * other in one string value of the body, whatever separates them. So {@code ass} matches {@code "You ASS!"} but not
 * {@code "class"} or {@code "assess"}; a script written without spaces between words matches only where the entry
 * stands as a word of its own.
 *
 * <p>The body is JSON text in compact form (how bodies are kept): the values of its strings are matched, at any
 * depth, not object keys, numbers or literals. The entries form a trie of lower-cased code points (a space between
 * the words of a phrase); from each word start the matcher walks it, so the cost is about one small lookup per
 * character of the body, and at most the length of the longest entry per word. An empty matcher costs nothing.
 */
public final class BlacklistMatcher {

    /** Matches nothing. */
    public static final BlacklistMatcher EMPTY = new BlacklistMatcher(List.of());

    private static final int SEPARATOR = ' ';

    private final Node root = new Node();
    private final boolean empty;

    /** A matcher for the given entries, each in the form {@link #words} gives (words joined by single spaces). */
    public BlacklistMatcher(Collection<String> entries) {
        for (String entry : entries) {
            List<String> words = words(entry);
            if (words.isEmpty()) {
                continue;
            }
            String normal = String.join(" ", words);
            Node node = root;
            for (int i = 0; i < normal.length(); ) {
                int cp = normal.codePointAt(i);
                node = node.add(cp);
                i += Character.charCount(cp);
            }
            node.entry = normal;
        }
        root.freeze();
        this.empty = root.size == 0;
    }

    public boolean isEmpty() {
        return empty;
    }

    /** The words of a text, lower-cased, in order: the normal form of a blacklist entry is them joined by spaces. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (isWordPart(cp)) {
                word.appendCodePoint(Character.toLowerCase(cp));
            } else if (!word.isEmpty()) {
                words.add(word.toString());
                word.setLength(0);
            }
            i += Character.charCount(cp);
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
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
            end = Math.min(end, length);
            i = end + 1;
            if (i < length && bodyJson.charAt(i) == ':') {
                continue;  // an object key
            }
            if (escaped) {
                String value = unescape(bodyJson, start, end);
                found = scan(value, 0, value.length(), found);
            } else {
                found = scan(bodyJson, start, end, found);
            }
        }
        return found == null ? List.of() : List.copyOf(found);
    }

    /** Walks the trie from every word start of {@code text[from, to)}. */
    private Set<String> scan(String text, int from, int to, Set<String> found) {
        int i = from;
        while (i < to) {
            int cp = text.codePointAt(i);
            if (!isWordPart(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            found = walk(text, i, to, found);
            while (i < to && isWordPart(cp = text.codePointAt(i))) {  // on to the next word
                i += Character.charCount(cp);
            }
        }
        return found;
    }

    private Set<String> walk(String text, int wordStart, int to, Set<String> found) {
        Node node = root;
        int j = wordStart;
        while (true) {
            while (j < to) {
                int cp = text.codePointAt(j);
                if (!isWordPart(cp)) {
                    break;
                }
                node = node.child(Character.toLowerCase(cp));
                if (node == null) {
                    return found;
                }
                j += Character.charCount(cp);
            }
            if (node.entry != null) {
                found = found == null ? new LinkedHashSet<>() : found;
                found.add(node.entry);
            }
            Node next = node.child(SEPARATOR);
            if (next == null) {
                return found;
            }
            while (j < to) {
                int cp = text.codePointAt(j);
                if (isWordPart(cp)) {
                    break;
                }
                j += Character.charCount(cp);
            }
            if (j >= to) {
                return found;
            }
            node = next;
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

    /** The text of a JSON string's characters {@code [start, end)}, escapes resolved (control escapes as spaces). */
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

    /** A trie node: children by code point, sorted once built (binary search); {@code entry} when one ends here. */
    private static final class Node {
        private static final int[] NO_KEYS = new int[0];
        private static final Node[] NO_CHILDREN = new Node[0];

        int[] keys = NO_KEYS;
        Node[] children = NO_CHILDREN;
        int size;
        String entry;

        Node add(int cp) {
            for (int i = 0; i < size; i++) {
                if (keys[i] == cp) {
                    return children[i];
                }
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, Math.max(2, size * 2));
                children = Arrays.copyOf(children, keys.length);
            }
            Node child = new Node();
            keys[size] = cp;
            children[size] = child;
            size++;
            return child;
        }

        /** Sorts the children (and theirs), trimmed to size. */
        void freeze() {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Integer.compare(keys[a], keys[b]));
            int[] sortedKeys = new int[size];
            Node[] sortedChildren = new Node[size];
            for (int i = 0; i < size; i++) {
                sortedKeys[i] = keys[order[i]];
                sortedChildren[i] = children[order[i]];
                sortedChildren[i].freeze();
            }
            keys = sortedKeys;
            children = sortedChildren;
        }

        Node child(int cp) {
            if (size <= 8) {
                for (int i = 0; i < size; i++) {
                    if (keys[i] == cp) {
                        return children[i];
                    }
                }
                return null;
            }
            int at = Arrays.binarySearch(keys, cp);
            return at >= 0 ? children[at] : null;
        }
    }
}
