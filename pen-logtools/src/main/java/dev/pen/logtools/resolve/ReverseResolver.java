package dev.pen.logtools.resolve;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reverse lookups, many at once over one UDP socket (Netty's DNS resolver). With no servers given it asks the
 * system's name servers ({@code /etc/resolv.conf}) after the hosts file, as the C library does; with servers
 * given it asks only those, in order. Each lookup ends with a name, no name, or a timeout; with {@code confirm},
 * a name counts only if it resolves back to the address. Thread-safe; close it when done.
 */
final class ReverseResolver implements AutoCloseable {

    private final EventLoopGroup group;
    private final DnsNameResolver dns;
    private final HostsFile hosts;
    private final boolean confirm;
    private final long deadlineMillis;

    /**
     * @param servers the DNS servers to ask, or empty for the system's configuration and {@code hosts}
     * @param timeoutMillis how long to wait for each DNS answer
     */
    ReverseResolver(List<InetSocketAddress> servers, HostsFile hosts, boolean confirm, long timeoutMillis) {
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.hosts = servers.isEmpty() ? hosts : HostsFile.EMPTY;
        this.confirm = confirm;
        DnsServerAddressStreamProvider provider = servers.isEmpty()
            ? DnsServerAddressStreamProviders.platformDefault()
            : new SequentialDnsServerAddressStreamProvider(servers);
        int tries = Math.max(1, servers.size());
        // Every step gets its own wait per server; the deadline only guarantees that a lookup ends.
        this.deadlineMillis = timeoutMillis * tries * (confirm ? 2 : 1) + 1000;
        this.dns = new DnsNameResolverBuilder(group.next())
            .datagramChannelType(NioDatagramChannel.class)
            .nameServerProvider(provider)
            .queryTimeoutMillis(timeoutMillis)
            .resolveCache(NoopDnsCache.INSTANCE)
            .hostsFileEntriesResolver((name, types) -> null)
            .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
            .maxQueriesPerResolve(Math.max(8, tries * 2))
            .recursionDesired(true)
            .build();
    }

    /** Looks up the name of {@code address}; the future always completes (a timeout is an outcome). */
    CompletableFuture<Lookup> lookup(InetAddress address) {
        CompletableFuture<Lookup> result = new CompletableFuture<>();
        String fromHosts = hosts.name(address);
        if (fromHosts != null) {
            result.complete(Lookup.name(fromHosts));
            return result;
        }
        io.netty.util.concurrent.ScheduledFuture<?> deadline =
            group.schedule(() -> result.complete(Lookup.TIMED_OUT), deadlineMillis, TimeUnit.MILLISECONDS);
        result.whenComplete((lookup, error) -> deadline.cancel(false));
        Future<List<DnsRecord>> ptr = dns.resolveAll(new DefaultDnsQuestion(reverseName(address), DnsRecordType.PTR));
        ptr.addListener(done -> {
            if (!done.isSuccess()) {
                result.complete(failure(done.cause()));
                return;
            }
            @SuppressWarnings("unchecked")
            List<DnsRecord> records = (List<DnsRecord>) done.getNow();
            String name = null;
            for (DnsRecord record : records) {
                if (name == null && record instanceof DnsPtrRecord p) {
                    name = stripDot(p.hostname());
                }
                ReferenceCountUtil.release(record);
            }
            if (name == null || !isHostName(name)) {
                // A reverse zone is whoever owns the address: a name that is not a host name (a newline in it,
                // say, which would forge log lines) counts as none.
                result.complete(Lookup.NO_NAME);
            } else if (!confirm) {
                result.complete(Lookup.name(name));
            } else {
                confirm(address, name, result);
            }
        });
        return result;
    }

    private void confirm(InetAddress address, String name, CompletableFuture<Lookup> result) {
        List<InetAddress> listed = hosts.addresses(name);
        if (!listed.isEmpty()) {
            result.complete(listed.contains(address) ? Lookup.name(name) : Lookup.NOT_CONFIRMED);
            return;
        }
        dns.resolveAll(name + ".").addListener(done -> {
            if (!done.isSuccess()) {
                Lookup failed = failure(done.cause());
                result.complete(failed == Lookup.TIMED_OUT ? failed : Lookup.NOT_CONFIRMED);
                return;
            }
            @SuppressWarnings("unchecked")
            List<InetAddress> forward = (List<InetAddress>) done.getNow();
            result.complete(forward.contains(address) ? Lookup.name(name) : Lookup.NOT_CONFIRMED);
        });
    }

    private static Lookup failure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof DnsNameResolverTimeoutException) {
                return Lookup.TIMED_OUT;
            }
        }
        return Lookup.NO_NAME;
    }

    /** {@code 4.3.2.1.in-addr.arpa.} or the nibbles of an IPv6 address under {@code ip6.arpa.}. */
    static String reverseName(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder name = new StringBuilder(73);
        if (address instanceof Inet4Address) {
            for (int i = 3; i >= 0; i--) {
                name.append(b[i] & 0xFF).append('.');
            }
            return name.append("in-addr.arpa.").toString();
        }
        for (int i = b.length - 1; i >= 0; i--) {
            name.append(Character.forDigit(b[i] & 0xF, 16)).append('.')
                .append(Character.forDigit((b[i] >> 4) & 0xF, 16)).append('.');
        }
        return name.append("ip6.arpa.").toString();
    }

    /** Letters, digits, hyphens and underscores in dot-separated labels of 1 to 63, 253 in all. */
    static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        int label = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
            } else if (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_') && ++label <= 63) {
                continue;
            } else {
                return false;
            }
        }
        return label > 0;
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    @Override
    public void close() {
        dns.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
