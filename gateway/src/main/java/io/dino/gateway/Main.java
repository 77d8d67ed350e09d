package io.dino.gateway;

import io.dino.gateway.auth.TokenMinter;
import io.dino.gateway.config.ConfigLoader;
import io.dino.gateway.config.GatewayConfig;
import io.dino.gateway.core.DinoException;
import io.dino.gateway.core.Names;
import io.dino.gateway.ops.Logs;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The gateway's command line.
 * <pre>
 *   dino-gateway [run] [--config FILE]                          start a node
 *   dino-gateway token USER [--roles a,b] [--ttl SECONDS] [--config FILE]   print a client token
 * </pre>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        Logs.install();
        List<String> arguments = new ArrayList<>(List.of(args));
        String command = !arguments.isEmpty() && !arguments.getFirst().startsWith("--") ? arguments.removeFirst() : "run";
        try {
            Optional<Path> configFile = option(arguments, "--config").map(Path::of);
            switch (command) {
                case "run" -> run(configFile, arguments);
                case "token" -> token(configFile, arguments, System.out);
                default -> throw new IllegalArgumentException("unknown command '" + command + "' (use run or token)");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("dino: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(Optional<Path> configFile, List<String> rest) throws InterruptedException {
        requireNoMore(rest);
        LogConfig.configureRuntime();
        Config config = ConfigLoader.load(configFile);
        Logs.apply(ConfigLoader.gateway(config).logFormat());
        Logs.holdUntilClosed();
        DinoNode node = DinoNode.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.shutdown();
            } finally {
                Logs.close();  // the last lines ("node ... stopped") are out before the JVM ends
            }
            stopped.countDown();
        }, "dino-shutdown"));
        printBanner(node, configFile);
        stopped.await();
    }

    private static void printBanner(DinoNode node, Optional<Path> configFile) {
        String wsPath = node.config().wsPath();
        String base = node.host() + ":" + node.port();
        String grpc = node.host() + ":" + node.grpcPort();
        String management = node.host() + ":" + node.managementPort();
        String demo = node.demoUrl().map(url -> "Demo chat: " + url + "  (open it in two tabs; development only)\n").orElse("")
                + node.adminUrl().map(url -> "Admin console: " + url + "  (log in with an API key or ./dino token USER --roles superuser)\n")
                .orElse("");
        System.out.printf("""

                Dino node %s is up (engine: %s, config: %s)
                Dino %s
                %s\
                  WebSocket   ws://%s%s
                  gRPC        %s  (service dino.v1.Backend, header x-api-key)
                  health      http://%s/observe/health
                  metrics     http://%s/observe/metrics
                  info        http://%s/observe/info
                Get a client token:  ./dino token alice%s
                Stop with Ctrl-C (sessions are told to reconnect elsewhere).
                %n""", node.nodeId(), node.config().engine().name().toLowerCase(java.util.Locale.ROOT),
                configFile.map(Path::toString).orElse("defaults"), node.buildInfo().line(), demo, base, wsPath, grpc,
                management, management, management,
                configFile.map(path -> " --config " + path).orElse(""));
    }

    static void token(Optional<Path> configFile, List<String> rest, PrintStream out) {
        List<String> roles = option(rest, "--roles").map(value -> List.of(value.split(","))).orElse(List.of());
        Duration ttl = option(rest, "--ttl").map(value -> Duration.ofSeconds(Long.parseLong(value))).orElse(Duration.ZERO);
        if (rest.size() != 1) {
            throw new IllegalArgumentException("usage: token USER [--roles a,b] [--ttl SECONDS] [--config FILE]");
        }
        String user = rest.getFirst();
        try {
            Names.user(user);  // a token the gateway would refuse (e.g. for "system") is no use to anyone
        } catch (DinoException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        GatewayConfig config = ConfigLoader.gateway(ConfigLoader.load(configFile));
        TokenMinter minter = new TokenMinter(config.auth(), InstantSource.system());
        if (!minter.canMint()) {
            throw new IllegalStateException("the configuration has no dino.auth.hmac-secrets to sign tokens with");
        }
        out.println(minter.mint(user, new LinkedHashSet<>(roles), Map.of(), ttl).token());
    }

    private static Optional<String> option(List<String> arguments, String name) {
        int index = arguments.indexOf(name);
        if (index < 0) {
            return Optional.empty();
        }
        if (index + 1 >= arguments.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = arguments.get(index + 1);
        arguments.subList(index, index + 2).clear();
        return Optional.of(value);
    }

    private static void requireNoMore(List<String> rest) {
        if (!rest.isEmpty()) {
            throw new IllegalArgumentException("unexpected arguments " + rest);
        }
    }
}
