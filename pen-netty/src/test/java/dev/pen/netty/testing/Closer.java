package dev.pen.netty.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test started (balancers, backends, sockets), closed in reverse order when the test ends; every one is
 * closed even when an earlier one fails, and the first failure is thrown.
 */
public final class Closer implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Keeps {@code resource} to close later and returns it. */
    public <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        resources.clear();
        if (first != null) {
            throw first;
        }
    }
}
