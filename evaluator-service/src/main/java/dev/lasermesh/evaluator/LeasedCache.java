package dev.lasermesh.evaluator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Expensive objects built on demand (a loaded model, an evaluator holding hidden states), kept for
 * reuse up to a count, least recently used evicted first. A caller leases a value for the time it
 * uses it; only values without a lease are evicted (and closed), so eviction never pulls a model from
 * under a running evaluation: while every kept value is leased the cache may exceed its count by the
 * number of concurrent users. Concurrent requests for the same key share one build.
 *
 * @param <K> the key
 * @param <V> the value, closed when evicted (or when the cache closes) and no longer leased
 */
final class LeasedCache<K, V extends AutoCloseable> implements AutoCloseable {

    /** The use of a value; closing it ends the use. */
    interface Lease<V> extends AutoCloseable {
        V value();

        @Override
        void close();
    }

    private static final System.Logger LOG = System.getLogger(LeasedCache.class.getName());

    private static final class Entry<V> {
        final CompletableFuture<V> value = new CompletableFuture<>();
        int leases;
    }

    private final int capacity;
    private final Function<K, V> factory;
    private final LinkedHashMap<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    /**
     * @param capacity values kept, ≥ 1
     * @param factory  builds the value of a key (may throw; nothing is kept then)
     */
    LeasedCache(int capacity, Function<K, V> factory) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.factory = factory;
    }

    /** Leases the value of {@code key}, building it first when it is not kept. */
    Lease<V> acquire(K key) {
        Entry<V> entry;
        boolean build;
        List<Entry<V>> evicted;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the cache is closed");
            }
            entry = entries.get(key);
            build = entry == null;
            if (build) {
                entry = new Entry<>();
                entries.put(key, entry);
            }
            entry.leases++;
            evicted = evictUnleased();
        }
        evicted.forEach(LeasedCache::closeValue);
        if (build) {
            try {
                entry.value.complete(factory.apply(key));
            } catch (RuntimeException | Error e) {
                entry.value.completeExceptionally(e);
                synchronized (this) {
                    entries.remove(key, entry);
                }
            }
        }
        try {
            V value = entry.value.join();
            Entry<V> leased = entry;
            return new Lease<>() {
                private boolean closed;

                @Override
                public V value() {
                    return value;
                }

                @Override
                public void close() {
                    if (!closed) {
                        closed = true;
                        release(leased);
                    }
                }
            };
        } catch (CompletionException e) {
            release(entry);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Values kept now (for tests and logs). */
    synchronized int size() {
        return entries.size();
    }

    private List<Entry<V>> evictUnleased() {
        List<Entry<V>> evicted = new ArrayList<>();
        Iterator<Entry<V>> eldestFirst = entries.values().iterator();
        while (entries.size() > capacity && eldestFirst.hasNext()) {
            Entry<V> eldest = eldestFirst.next();
            if (eldest.leases == 0) {
                eldestFirst.remove();
                evicted.add(eldest);
            }
        }
        return evicted;
    }

    private void release(Entry<V> entry) {
        List<Entry<V>> evicted;
        synchronized (this) {
            entry.leases--;
            evicted = closed ? (entry.leases == 0 ? List.of(entry) : List.of()) : evictUnleased();
        }
        evicted.forEach(LeasedCache::closeValue);
    }

    private static <V extends AutoCloseable> void closeValue(Entry<V> entry) {
        if (entry.value.isDone() && !entry.value.isCompletedExceptionally()) {
            try {
                entry.value.join().close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing a cached value failed: {0}", e.getMessage());
            }
        }
    }

    /** Closes every value now unleased; values still leased are closed when their leases end. */
    @Override
    public void close() {
        List<Entry<V>> unused = new ArrayList<>();
        synchronized (this) {
            closed = true;
            entries.values().stream().filter(e -> e.leases == 0).forEach(unused::add);
            entries.clear();
        }
        unused.forEach(LeasedCache::closeValue);
    }
}
