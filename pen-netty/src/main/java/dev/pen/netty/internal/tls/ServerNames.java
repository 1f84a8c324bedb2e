package dev.pen.netty.internal.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pen's {@code ssl_sni_path}: the context for the server name a client asks for, from {@code DIR/N.crt},
 * {@code DIR/N.key}, and {@code DIR/N.ca} and {@code DIR/N.ocsp} when there; a name without a {@code .crt} file (or
 * whose files are unusable, which is logged) gets the default context. Files are read on a loader thread, never on
 * an event loop, and the result is kept for {@link #FRESH_NANOS} (pen reads an OCSP response again after an hour)
 * in a cache of at most {@link #MAX_NAMES} names, the least recently used leaving first. A name is a host name's
 * letters, digits, {@code -}, {@code _} and dots, so that no name reaches outside the directory.
 */
final class ServerNames {
    static final int MAX_NAMES = 1024;
    static final int MAX_NAME_LENGTH = 253;
    static final long FRESH_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final Logger LOG = LoggerFactory.getLogger(ServerNames.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*)(\\.[a-z0-9_][a-z0-9_-]*)*\\.?");
    /** One thread for every balancer's loads; a burst of new names beyond its queue is refused, not queued. */
    private static final ThreadPoolExecutor LOADER = loader();

    private final Path directory;
    private final ServerContext fallback;
    private final Function<String, ServerContext> load;
    private final Map<String, Entry> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ServerNames.Entry> eldest) {
            return size() > MAX_NAMES;
        }
    };

    private record Entry(CompletableFuture<ServerContext> context, long loadedAt) {
    }

    /**
     * @param load builds the context of a name whose {@code .crt} file exists (called on the loader thread)
     */
    ServerNames(Path directory, ServerContext fallback, Function<String, ServerContext> load) {
        this.directory = directory;
        this.fallback = fallback;
        this.load = load;
    }

    /**
     * The context for {@code name} as a client sent it (null: no name, the default context); fails for a name that
     * is not a host name, or when the loader is overloaded.
     */
    CompletableFuture<ServerContext> lookup(String name) {
        if (name == null) {
            return CompletableFuture.completedFuture(fallback);
        }
        if (name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("server name '" + printable(name)
                    + "' refused (expected a host name: letters, digits, '-', '_' and dots)"));
        }
        String key = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        long now = System.nanoTime();
        CompletableFuture<ServerContext> loading;
        synchronized (cache) {
            Entry e = cache.get(key);
            if (e != null && (!e.context.isDone() || now - e.loadedAt < FRESH_NANOS)) {
                return e.context;
            }
            loading = new CompletableFuture<>();
            cache.put(key, new Entry(loading, now));
        }
        try {
            LOADER.execute(() -> loading.complete(loadName(key)));
        } catch (RejectedExecutionException overloaded) {
            synchronized (cache) {
                Entry e = cache.get(key);
                if (e != null && e.context == loading) {
                    cache.remove(key);
                }
            }
            loading.completeExceptionally(new IllegalStateException("server name '" + key
                    + "' refused: too many names being loaded at once"));
        }
        return loading;
    }

    /** The number of names cached (for tests). */
    int cached() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private ServerContext loadName(String name) {
        if (!Files.isRegularFile(directory.resolve(name + ".crt"))) {
            LOG.debug("server name {}: no {}.crt in {}, the default certificate is served", name, name, directory);
            return fallback;
        }
        try {
            return load.apply(name);
        } catch (RuntimeException e) {
            LOG.warn("server name {}: {}; the default certificate is served", name, e.getMessage());
            return fallback;
        }
    }

    private static String printable(String name) {
        StringBuilder s = new StringBuilder();
        name.codePoints().limit(64).forEach(c -> s.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return s.toString();
    }

    private static ThreadPoolExecutor loader() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
                r -> {
                    Thread t = new Thread(r, "pen-tls-names");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
