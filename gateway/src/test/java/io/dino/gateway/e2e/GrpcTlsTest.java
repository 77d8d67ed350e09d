package io.dino.gateway.e2e;

import io.dino.api.v1.ListOnlineUsersRequest;
import io.dino.gateway.DinoNode;
import io.dino.gateway.TestNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.dino.gateway.TestNode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gRPC listener serves TLS with a PEM certificate and key named in dino.grpc.tls. */
class GrpcTlsTest {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    private static Path certificate;
    private static Path privateKey;
    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        selfSignedFor127001(dir);
        node = TestNode.start(Map.of(
                "dino.grpc.tls.certificate", certificate.toString(),
                "dino.grpc.tls.private-key", privateKey.toString()));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aClientThatTrustsTheCertificateCallsOverTls() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", node.grpcPort())
                .sslContext(GrpcSslContexts.forClient().trustManager(certificate.toFile()).build())
                .build();
        try {
            assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus())
                    .isEqualTo(ServingStatus.SERVING);
            assertThat(TestNode.backend(channel, TestNode.API_KEY)
                    .listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance())).isNotNull();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPlaintextClientIsNotServed() {
        ManagedChannel plaintext = node.channel();

        assertThatThrownBy(() -> TestNode.backend(plaintext, TestNode.API_KEY)
                .listOnlineUsers(ListOnlineUsersRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void aCertificateWithoutAKeyIsAConfigurationError() {
        assertThatThrownBy(() -> DinoNode.start(TestNode.config(Map.of("dino.grpc.tls.certificate", certificate.toString()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("configuration key dino.grpc.tls.private-key is required when certificate is set");
    }

    @Test
    void aKeyFileThatHoldsNoKeyStopsTheNodeWithTheReason() {
        assertThatThrownBy(() -> DinoNode.start(TestNode.config(Map.of(
                "dino.grpc.tls.certificate", certificate.toString(),
                "dino.grpc.tls.private-key", certificate.toString()))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("dino.grpc.tls: cannot serve TLS with " + certificate + " and " + certificate);
    }

    /** keytool makes the pair; the JDK's KeyStore API writes it out as PEM. */
    private static void selfSignedFor127001(Path into) throws Exception {
        Path store = into.resolve("node.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as("keytool: %s", output).isZero();

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        certificate = into.resolve("node.crt");
        privateKey = into.resolve("node.key");
        Files.writeString(certificate, pem("CERTIFICATE", keyStore.getCertificate("node").getEncoded()));
        Files.writeString(privateKey, pem("PRIVATE KEY", ((PrivateKey) keyStore.getKey("node", STORE_PASSWORD)).getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
