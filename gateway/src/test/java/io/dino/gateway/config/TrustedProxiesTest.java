package io.dino.gateway.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whose address a connection is: the peer's, or, from a trusted proxy, the nearest untrusted forwarded hop. */
class TrustedProxiesTest {

    private static final TrustedProxies NGINX = TrustedProxies.parse(List.of("10.0.0.5", "192.168.0.0/16", "fd00::/8"));

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void aPeerThatIsNoTrustedProxyIsItsOwnClientWhateverItForwards() throws Exception {
        assertThat(NGINX.clientOf(ip("203.0.113.7"), 51234, "198.51.100.1", "198.51.100.2")).isEqualTo("203.0.113.7:51234");
        assertThat(TrustedProxies.NONE.clientOf(ip("10.0.0.5"), 80, "198.51.100.1", "")).isEqualTo("10.0.0.5:80");
    }

    @Test
    void fromATrustedProxyTheNearestUntrustedHopIsTheClientAndClaimsLeftOfItAreIgnored() throws Exception {
        assertThat(NGINX.clientOf(ip("10.0.0.5"), 40000, "203.0.113.7", "")).isEqualTo("203.0.113.7");
        // the client claims 1.2.3.4; an inner proxy (192.168.1.1, trusted) saw 203.0.113.7
        assertThat(NGINX.clientOf(ip("10.0.0.5"), 40000, "1.2.3.4, 203.0.113.7, 192.168.1.1", "")).isEqualTo("203.0.113.7");
        assertThat(NGINX.clientOf(ip("fd12::1"), 40000, "2001:db8::7", "")).isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void withoutAUsableForwardedHopXRealIpThenThePeerAnswer() throws Exception {
        assertThat(NGINX.clientOf(ip("10.0.0.5"), 40000, "", "203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(NGINX.clientOf(ip("10.0.0.5"), 40000, "192.168.3.3", "")).isEqualTo("10.0.0.5:40000");
        assertThat(NGINX.clientOf(ip("10.0.0.5"), 40000, "not-an-ip, 192.168.3.3", "also.not")).isEqualTo("10.0.0.5:40000");
        assertThat(NGINX.clientOf(ip("10.0.0.5"), 40000, "300.1.1.1", "")).as("no DNS, no bogus octets").isEqualTo("10.0.0.5:40000");
    }

    @Test
    void rangesMatchByPrefixAndEntriesThatAreNotAddressesAreRefused() throws Exception {
        TrustedProxies ranges = TrustedProxies.parse(List.of("172.16.0.0/12", "0.0.0.0/0"));
        assertThat(ranges.trusts(ip("172.31.255.255"))).isTrue();
        assertThat(TrustedProxies.parse(List.of("172.16.0.0/12")).trusts(ip("172.32.0.1"))).isFalse();
        assertThat(ranges.trusts(ip("::1"))).as("an IPv4 range holds no IPv6 address").isFalse();
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("nginx.internal")))
                .hasMessage("'nginx.internal' is not an IP address or a CIDR range such as 10.0.0.0/8");
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.0/33")))
                .hasMessage("'10.0.0.0/33' has a prefix length outside 0-32");
    }
}
