package dev.pen.netty.internal.select;

import dev.pen.api.ClientStats;
import dev.pen.api.Strategy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * pen's client tracking table: a fixed number of slots, one per client address (the port is not part of it;
 * every Unix socket client shares one entry), reused least recently used first. Lookups are O(1) through a map
 * and a linked LRU order instead of pen's linear scan. Not thread-safe: the selector guards it.
 */
final class ClientTable {
    /** The key under which every Unix socket client is tracked. */
    static final Object UNIX_CLIENT = new Object();

    /** One tracked client. Byte counters are updated by the relay without the selector's lock. */
    static final class Client {
        final Object key;
        final InetAddress address;
        final int slot;
        long lastMillis;
        long lastNanos;
        int server = Strategy.NO_BACKEND;
        long connects;
        final AtomicLong bytesToClient = new AtomicLong();
        final AtomicLong bytesFromClient = new AtomicLong();
        int prev = -1;
        int next = -1;

        Client(Object key, InetAddress address, int slot) {
            this.key = key;
            this.address = address;
            this.slot = slot;
        }

        public void addBytesToClient(long n) {
            bytesToClient.addAndGet(n);
        }

        public void addBytesFromClient(long n) {
            bytesFromClient.addAndGet(n);
        }
    }

    private Client[] slots;
    private final Map<Object, Client> byKey = new HashMap<>();
    private final BitSet free = new BitSet();
    private int head = -1;
    private int tail = -1;

    ClientTable(int size) {
        slots = new Client[size];
        free.set(0, size);
    }

    /**
     * pen's store_client: finds the client or takes the first free slot, else the least recently used one; a
     * client that has not connected for {@code trackingNanos} (when above 0) starts afresh, forgetting its server.
     */
    Client store(Object key, InetAddress address, long nowNanos, long nowMillis, long trackingNanos) {
        Client c = byKey.get(key);
        if (c != null && trackingNanos > 0 && nowNanos - c.lastNanos > trackingNanos) {
            remove(c);
            c = null;
        }
        if (c == null) {
            int slot = free.nextSetBit(0);
            if (slot < 0 || slot >= slots.length) {
                slot = head;
                remove(slots[slot]);
            }
            c = new Client(key, address, slot);
            slots[slot] = c;
            free.clear(slot);
            byKey.put(key, c);
        } else {
            unlink(c);
        }
        linkLast(c);
        c.lastNanos = nowNanos;
        c.lastMillis = nowMillis;
        c.connects++;
        return c;
    }

    private void remove(Client c) {
        unlink(c);
        byKey.remove(c.key);
        slots[c.slot] = null;
        free.set(c.slot);
    }

    private void unlink(Client c) {
        if (c.prev >= 0) {
            slots[c.prev].next = c.next;
        } else {
            head = c.next;
        }
        if (c.next >= 0) {
            slots[c.next].prev = c.prev;
        } else {
            tail = c.prev;
        }
        c.prev = -1;
        c.next = -1;
    }

    private void linkLast(Client c) {
        c.prev = tail;
        c.next = -1;
        if (tail >= 0) {
            slots[tail].next = c.slot;
        } else {
            head = c.slot;
        }
        tail = c.slot;
    }

    /** Resizes to {@code size} slots, keeping clients in slot order as far as they fit. */
    void resize(int size) {
        if (size == slots.length) {
            return;
        }
        List<Client> kept = new ArrayList<>();
        for (int i = head; i >= 0; i = slots[i].next) {
            kept.add(slots[i]);
        }
        slots = new Client[size];
        byKey.clear();
        free.clear();
        free.set(0, size);
        head = -1;
        tail = -1;
        int from = Math.max(0, kept.size() - size);
        int slot = 0;
        for (Client old : kept.subList(from, kept.size())) {
            Client c = new Client(old.key, old.address, slot);
            c.lastMillis = old.lastMillis;
            c.lastNanos = old.lastNanos;
            c.server = old.server;
            c.connects = old.connects;
            c.bytesToClient.set(old.bytesToClient.get());
            c.bytesFromClient.set(old.bytesFromClient.get());
            slots[slot] = c;
            free.clear(slot);
            byKey.put(c.key, c);
            linkLast(c);
            slot++;
        }
    }

    /** The tracked clients in slot order, leaving out those expired by {@code trackingNanos}. */
    List<ClientStats> snapshot(long nowNanos, long trackingNanos) {
        List<ClientStats> out = new ArrayList<>();
        for (Client c : slots) {
            if (c == null || (trackingNanos > 0 && nowNanos - c.lastNanos > trackingNanos)) {
                continue;
            }
            out.add(new ClientStats(c.slot, c.address, c.lastMillis, c.server, c.connects, c.bytesToClient.get(),
                    c.bytesFromClient.get()));
        }
        return out;
    }
}
