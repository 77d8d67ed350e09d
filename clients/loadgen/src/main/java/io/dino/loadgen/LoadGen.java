package io.dino.loadgen;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Load generator for Dino: {@code java -jar dino-loadgen.jar <workload> [options]}. Progress goes to stderr;
 * the report, one JSON object, to stdout. Exit status: 0 when the workload ran (the report tells how well), 1
 * when it could not run, 2 for bad arguments.
 */
public final class LoadGen {

    /** A workload LoadGen can run: its name, help, accepted options and how to build it from them. */
    record WorkloadType(String name, String summary, String usage, Set<String> options, Set<String> flags,
                        Set<String> repeatable, Function<Options, Workload> create) {
    }

    static final List<WorkloadType> WORKLOADS = List.of(
            new WorkloadType(IdleWorkload.NAME, IdleWorkload.SUMMARY, IdleWorkload.USAGE, IdleWorkload.OPTIONS, Set.of(), Set.of(),
                    options -> new IdleWorkload(IdleWorkload.Config.from(options))),
            new WorkloadType(FanoutWorkload.NAME, FanoutWorkload.SUMMARY, FanoutWorkload.USAGE, FanoutWorkload.OPTIONS,
                    FanoutWorkload.FLAGS, FanoutWorkload.REPEATABLE, options -> new FanoutWorkload(FanoutWorkload.Config.from(options))),
            new WorkloadType(PublishWorkload.NAME, PublishWorkload.SUMMARY, PublishWorkload.USAGE, PublishWorkload.OPTIONS,
                    PublishWorkload.FLAGS, PublishWorkload.REPEATABLE, options -> new PublishWorkload(PublishWorkload.Config.from(options))),
            new WorkloadType(OpsWorkload.NAME, OpsWorkload.SUMMARY, OpsWorkload.USAGE, OpsWorkload.OPTIONS, Set.of(), Set.of(),
                    options -> new OpsWorkload(OpsWorkload.Config.from(options))),
            new WorkloadType(SoakWorkload.NAME, SoakWorkload.SUMMARY, SoakWorkload.USAGE, SoakWorkload.OPTIONS, Set.of(), Set.of(),
                    options -> new SoakWorkload(SoakWorkload.Config.from(options))),
            new WorkloadType(RecoverWorkload.NAME, RecoverWorkload.SUMMARY, RecoverWorkload.USAGE, RecoverWorkload.OPTIONS,
                    Set.of(), RecoverWorkload.REPEATABLE, options -> new RecoverWorkload(RecoverWorkload.Config.from(options))),
            new WorkloadType(FloodWorkload.NAME, FloodWorkload.SUMMARY, FloodWorkload.USAGE, FloodWorkload.OPTIONS, Set.of(), Set.of(),
                    options -> new FloodWorkload(FloodWorkload.Config.from(options))));

    private LoadGen() {
    }

    public static void main(String[] args) {
        // Exit explicitly: gRPC and HTTP client threads must not keep the JVM alive after the report.
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).print(usage());
            return args.length == 0 ? 2 : 0;
        }
        WorkloadType type = WORKLOADS.stream().filter(w -> w.name().equals(args[0])).findFirst().orElse(null);
        if (type == null) {
            err.println("unknown workload: " + args[0]);
            err.print(usage());
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(type.usage());
            return 0;
        }
        Workload workload;
        try {
            workload = type.create().apply(Options.parse(rest, type.options(), type.flags(), type.repeatable()));
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println();
            err.print(type.usage());
            return 2;
        }
        try {
            out.println(new ObjectMapper().writeValueAsString(workload.run()));
            out.flush();
            return 0;
        } catch (UsageException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            // A workload's own verdict that it cannot run (e.g. no token could be minted): the message says why.
            err.println("workload " + type.name() + " failed: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("workload " + type.name() + " failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    static String usage() {
        StringBuilder usage = new StringBuilder("""
                Usage: java -jar dino-loadgen.jar <workload> [options]

                Workloads:
                """);
        for (WorkloadType type : WORKLOADS) {
            usage.append(String.format("  %-8s %s%n", type.name(), type.summary()));
        }
        usage.append("\nRun a workload with --help to see its options.\n");
        return usage.toString();
    }
}
