import io.dino.gateway.core.BlacklistMatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What the blacklist costs on the send path: {@link BlacklistMatcher#matches} on typical message bodies, against a
 * list of N entries (a third of them two-word phrases), single-threaded. Warms up, then prints ns per message for
 * bodies of about 50, 300 and 2000 characters that match nothing, and for one that matches.
 *
 * <pre>
 * java -cp "gateway/target/dino-gateway.jar:gateway/target/libs/*" tools/bench/BlacklistMatchBench.java 1000
 * </pre>
 * (docs/benchmarks.md, "Blacklist matching").
 */
public class BlacklistMatchBench {
    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Random random = new Random(42);
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            entries.add(i % 3 == 0 ? word(random) + " " + word(random) : word(random));
        }
        BlacklistMatcher matcher = new BlacklistMatcher(entries);
        String shortBody = "{\"text\":\"hey, are we still meeting at the cafe later today?\"}";
        String mediumBody = "{\"text\":\"" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod. ".repeat(4)
                + "\",\"mentions\":[\"bob\",\"carol\"],\"reply\":{\"to\":\"01JDQ0ZR7M8V4N6R3T5W7Y9A1C\"}}";
        String longBody = "{\"text\":\"" + "Großartige Neuigkeiten für alle, die früh aufstehen! ".repeat(40) + "\"}";
        String matching = "{\"text\":\"this one says " + entries.get(1) + " in the middle\"}";
        System.out.printf("entries: %d%n", size);
        for (String[] body : new String[][]{{"~50 chars, no match", shortBody}, {"~300 chars, no match", mediumBody},
                {"~2000 chars, no match", longBody}, {"~50 chars, a match", matching}}) {
            measure(matcher, body[1], 2_000_000 / Math.max(1, body[1].length() / 50));  // warm-up
            double ns = measure(matcher, body[1], 5_000_000 / Math.max(1, body[1].length() / 50));
            System.out.printf("%-22s (%4d chars): %7.0f ns/message%n", body[0], body[1].length(), ns);
        }
        double empty = measure(BlacklistMatcher.EMPTY, mediumBody, 5_000_000);
        System.out.printf("%-22s (%4d chars): %7.1f ns/message%n", "empty list", mediumBody.length(), empty);
    }

    private static double measure(BlacklistMatcher matcher, String body, int rounds) {
        long sink = 0;
        // CPU time of this thread, not wall time: the figure holds on a machine busy with other work too
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long started = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            sink += matcher.matches(body).size();
        }
        long elapsed = threads.getCurrentThreadCpuTime() - started;
        if (sink == 42) {
            System.out.print("");
        }
        return (double) elapsed / rounds;
    }

    private static String word(Random random) {
        StringBuilder word = new StringBuilder();
        int length = 4 + random.nextInt(6);
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }
}
