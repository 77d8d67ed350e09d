package io.dino.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dino.trusted-proxies}: the addresses (or CIDR ranges) of the proxies in front of the nodes, such as nginx,
 * whose {@code X-Forwarded-For} / {@code X-Real-IP} headers say who the client is. A connection from anywhere else
 * is its own client, whatever headers it sends: otherwise any client could claim any address.
 */
public final class TrustedProxies {

    /** Trusts nobody: every connection is its own client. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

    // only literals reach InetAddress.getByName, which would otherwise resolve a host name (a DNS query per header)
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Range(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = prefixBits;
            for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((address[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<String> entries;
    private final List<Range> ranges;

    private TrustedProxies(List<String> entries, List<Range> ranges) {
        this.entries = entries;
        this.ranges = ranges;
    }

    /**
     * Parses addresses ({@code 10.0.0.5}, {@code ::1}) and CIDR ranges ({@code 10.0.0.0/8}); an entry that is
     * neither is refused with {@link IllegalArgumentException} naming it.
     */
    public static TrustedProxies parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) {
            String text = entry.strip();
            int slash = text.indexOf('/');
            byte[] network = literal(slash < 0 ? text : text.substring(0, slash)).map(InetAddress::getAddress)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "'" + entry + "' is not an IP address or a CIDR range such as 10.0.0.0/8"));
            int bits = network.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > network.length * 8) {
                    throw new IllegalArgumentException("'" + entry + "' has a prefix length outside 0-" + network.length * 8);
                }
            }
            ranges.add(new Range(network, bits));
        }
        return new TrustedProxies(List.copyOf(entries), List.copyOf(ranges));
    }

    /** The entries as configured. */
    public List<String> entries() {
        return entries;
    }

    public boolean trusts(InetAddress address) {
        byte[] bytes = address.getAddress();
        return ranges.stream().anyMatch(range -> range.contains(bytes));
    }

    /**
     * Who the client of a connection from {@code peer} is: the peer itself unless it is a trusted proxy; then the
     * nearest address in {@code X-Forwarded-For} (read from the right, each proxy appending the address it saw) that
     * is not a trusted proxy, else {@code X-Real-IP}, else the peer. Entries left of the first untrusted one are the
     * client's own claims and are never used.
     *
     * @param forwardedFor the X-Forwarded-For values, comma-separated; empty when none
     * @param realIp       the X-Real-IP value; empty when none
     * @return an address, with the port when it is the TCP peer's ({@code 203.0.113.7}, {@code 127.0.0.1:51234})
     */
    public String clientOf(InetAddress peer, int port, String forwardedFor, String realIp) {
        String direct = peer.getHostAddress() + ":" + port;
        if (!trusts(peer)) {
            return direct;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(hops[i].strip());
            if (hop.isEmpty()) {
                break;  // a malformed hop: what lies left of it cannot be placed
            }
            if (!trusts(hop.get())) {
                return hop.get().getHostAddress();
            }
        }
        return literal(realIp.strip()).map(InetAddress::getHostAddress).orElse(direct);
    }

    private static Optional<InetAddress> literal(String text) {
        Matcher v4 = IPV4.matcher(text);
        boolean valid = v4.matches()
                ? java.util.stream.IntStream.rangeClosed(1, 4).allMatch(group -> Integer.parseInt(v4.group(group)) <= 255)
                : IPV6.matcher(text).matches();  // an IPv6 literal never goes to DNS: a bad one is refused
        if (!valid) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrustedProxies proxies && proxies.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
