package io.dino.loadgen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The operations the {@code ops} workload times, by the names {@code --ops} takes. */
enum Operation {

    JOIN("join"),
    JOIN_MEMBERS("join-members"),
    HISTORY("history"),
    PUBLISH_USERS("publish-users");

    final String label;

    Operation(String label) {
        this.label = label;
    }

    static String labels() {
        return Arrays.stream(values()).map(op -> op.label).collect(Collectors.joining(","));
    }

    /** A comma-separated list such as {@code join,history}, in the order given; each name at most once. */
    static List<Operation> parseList(String option, String list) {
        List<Operation> operations = new ArrayList<>();
        for (String name : list.split(",", -1)) {
            Operation operation = Arrays.stream(values()).filter(op -> op.label.equals(name.strip())).findFirst()
                    .orElseThrow(() -> new UsageException("option --" + option + ": unknown operation '" + name.strip()
                            + "' (known: " + labels() + ")"));
            if (operations.contains(operation)) {
                throw new UsageException("option --" + option + " names " + operation.label + " twice");
            }
            operations.add(operation);
        }
        return List.copyOf(operations);
    }
}
