package dev.pen.launcher.discovery;

import dev.pen.api.HostPort;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.HostsFileEntriesResolver;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Forward lookups with the records' time to live, by Netty's DNS resolver on a thread of its own (never a
 * balancer's event loop): a name's addresses (A, then AAAA) and a service's SRV records. With a server given it
 * asks only that one; without, the system's name servers ({@code /etc/resolv.conf}) after the hosts file. Nothing
 * is cached here: each call asks again. The calls block their caller for at most {@link #QUERY_TIMEOUT} a query.
 * Thread-safe; close it when done.
 */
final class DnsLookup implements AutoCloseable {
    /** The shortest time to live acted on: a record that says less is asked again after this. */
    static final Duration MIN_TTL = Duration.ofSeconds(1);
    /** The longest time to live acted on: a record that says more (or a literal address) is asked again after this. */
    static final Duration MAX_TTL = Duration.ofHours(1);
    /** How long one query may take before it counts as failed. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);
    /** The most SRV records of one answer that are used. */
    static final int MAX_SERVICES = 256;

    /** A name's addresses, A records first, and the shortest time to live among them, within the bounds. */
    record Addresses(List<InetAddress> addresses, Duration ttl) {
    }

    /** One SRV record: where the service is, and its priority (lower first) and weight. */
    record Service(String target, int port, int priority, int weight) {
    }

    /** A service's SRV records and the shortest time to live among them, within the bounds. */
    record Services(List<Service> services, Duration ttl) {
    }

    private final EventLoopGroup group;
    private final DnsNameResolver dns;

    /** @param server the DNS server to ask, or null for the system's configuration and hosts file */
    DnsLookup(InetSocketAddress server) {
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("pen-dns", true),
                NioIoHandler.newFactory());
        DnsNameResolverBuilder b = new DnsNameResolverBuilder(group.next())
                .datagramChannelType(NioDatagramChannel.class)
                .nameServerProvider(server == null ? DnsServerAddressStreamProviders.platformDefault()
                        : new SingletonDnsServerAddressStreamProvider(server))
                .queryTimeoutMillis(QUERY_TIMEOUT.toMillis())
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                .recursionDesired(true);
        if (server != null) {
            b.hostsFileEntriesResolver((name, types) -> null);
        } else {
            b.hostsFileEntriesResolver(HostsFileEntriesResolver.DEFAULT);
        }
        this.dns = b.build();
    }

    /**
     * The addresses of {@code name}; an IP literal is its own address.
     *
     * @throws UnknownHostException naming the name and why when it has no address or the server did not answer
     */
    Addresses addresses(String name) throws UnknownHostException {
        Optional<InetAddress> literal = HostPort.ipLiteral(name);
        if (literal.isPresent()) {
            return new Addresses(List.of(literal.get()), MAX_TTL);
        }
        List<InetAddress> found = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        UnknownHostException failure = null;
        for (DnsRecordType type : List.of(DnsRecordType.A, DnsRecordType.AAAA)) {
            List<DnsRecord> records;
            try {
                records = query(name, type);
            } catch (UnknownHostException e) {
                failure = failure == null ? e : failure;
                continue;
            }
            try {
                for (DnsRecord r : records) {
                    if (r.type() == type && r instanceof DnsRawRecord raw) {
                        byte[] bytes = new byte[raw.content().readableBytes()];
                        raw.content().getBytes(raw.content().readerIndex(), bytes);
                        if (bytes.length == 4 || bytes.length == 16) {
                            found.add(InetAddress.getByAddress(bytes));
                            ttl = Math.min(ttl, r.timeToLive());
                        }
                    }
                }
            } finally {
                records.forEach(ReferenceCountUtil::release);
            }
        }
        if (found.isEmpty()) {
            throw failure != null ? failure : new UnknownHostException(name + ": no A or AAAA record");
        }
        return new Addresses(List.copyOf(found), bounded(ttl));
    }

    /**
     * The SRV records of {@code name} (such as {@code _http._tcp.example.com}), at most {@link #MAX_SERVICES}.
     *
     * @throws UnknownHostException naming the name and why when it has none or the server did not answer
     */
    Services services(String name) throws UnknownHostException {
        List<DnsRecord> records = query(name, DnsRecordType.SRV);
        List<Service> found = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        try {
            for (DnsRecord r : records) {
                if (r.type() == DnsRecordType.SRV && r instanceof DnsRawRecord raw && found.size() < MAX_SERVICES) {
                    Service s = service(raw.content());
                    if (s != null) {
                        found.add(s);
                        ttl = Math.min(ttl, r.timeToLive());
                    }
                }
            }
        } finally {
            records.forEach(ReferenceCountUtil::release);
        }
        if (found.isEmpty()) {
            throw new UnknownHostException(name + ": no SRV record");
        }
        return new Services(List.copyOf(found), bounded(ttl));
    }

    private List<DnsRecord> query(String name, DnsRecordType type) throws UnknownHostException {
        String fqdn = name.endsWith(".") ? name : name + ".";
        Future<List<DnsRecord>> answer = dns.resolveAll(new DefaultDnsQuestion(fqdn, type));
        try {
            // Netty's own timeout ends the query; this wait only guarantees that the caller comes back.
            return answer.get(QUERY_TIMEOUT.toMillis() * 4, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            abandon(answer);
            Thread.currentThread().interrupt();
            throw new UnknownHostException(name + ": interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new UnknownHostException(name + ": " + (cause instanceof UnknownHostException
                    ? "no such name" : String.valueOf(cause.getMessage())));
        } catch (TimeoutException e) {
            abandon(answer);
            throw new UnknownHostException(name + ": no answer in " + QUERY_TIMEOUT.toMillis() * 4 + " ms");
        }
    }

    /** Gives up on an answer its caller no longer waits for: records that still come are released. */
    private static void abandon(Future<List<DnsRecord>> answer) {
        answer.addListener(f -> {
            if (f.isSuccess()) {
                ((List<?>) f.getNow()).forEach(ReferenceCountUtil::release);
            }
        });
        answer.cancel(false);
    }

    /** Priority, weight, port and an uncompressed target name (RFC 2782 forbids compressing it). */
    private static Service service(ByteBuf content) {
        int at = content.readerIndex();
        int end = content.writerIndex();
        if (end - at < 7) {
            return null;
        }
        int priority = content.getUnsignedShort(at);
        int weight = content.getUnsignedShort(at + 2);
        int port = content.getUnsignedShort(at + 4);
        StringBuilder target = new StringBuilder();
        int i = at + 6;
        while (i < end) {
            int len = content.getUnsignedByte(i++);
            if (len == 0) {
                String t = target.toString();
                return t.isEmpty() || port == 0 ? null : new Service(t, port, priority, weight);
            }
            if (len > 63 || i + len > end) {
                return null;
            }
            if (!target.isEmpty()) {
                target.append('.');
            }
            for (int k = 0; k < len; k++) {
                char c = (char) content.getUnsignedByte(i + k);
                boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_');
                if (!ok) {
                    return null;
                }
                target.append(c);
            }
            i += len;
        }
        return null;
    }

    private static Duration bounded(long seconds) {
        Duration d = Duration.ofSeconds(Math.max(0, seconds));
        return d.compareTo(MIN_TTL) < 0 ? MIN_TTL : d.compareTo(MAX_TTL) > 0 ? MAX_TTL : d;
    }

    @Override
    public void close() {
        dns.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
