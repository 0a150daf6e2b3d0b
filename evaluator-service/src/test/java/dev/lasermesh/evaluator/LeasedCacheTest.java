package dev.lasermesh.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeasedCacheTest {

    /** A value that knows whether it was closed. */
    private static final class Resource implements AutoCloseable {
        final String key;
        boolean closed;

        Resource(String key) {
            this.key = key;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void keepsValuesForReuseAndClosesTheLeastRecentlyUsedBeyondCapacity() {
        AtomicInteger builds = new AtomicInteger();
        LeasedCache<String, Resource> cache = new LeasedCache<>(2, key -> {
            builds.incrementAndGet();
            return new Resource(key);
        });
        Resource a;
        try (var lease = cache.acquire("a")) {
            a = lease.value();
        }
        try (var lease = cache.acquire("a")) {
            assertSame(a, lease.value());
        }
        cache.acquire("b").close();
        cache.acquire("a").close();
        cache.acquire("c").close();
        assertEquals(2, cache.size());
        assertFalse(a.closed, "a was used more recently than b");
        assertEquals(3, builds.get());
        cache.acquire("b").close();
        assertTrue(a.closed, "a was the least recently used when b came back");
    }

    @Test
    void neverClosesAValueInUse() {
        LeasedCache<String, Resource> cache = new LeasedCache<>(1, Resource::new);
        var leased = cache.acquire("a");
        Resource b;
        try (var lease = cache.acquire("b")) {
            b = lease.value();
        }
        assertFalse(leased.value().closed);
        assertTrue(b.closed, "b, unused, goes first while a is in use");
        leased.close();
        assertFalse(leased.value().closed, "a alone is within capacity");
        try (var lease = cache.acquire("c")) {
            assertTrue(leased.value().closed, "a, no longer in use, makes room for c");
            assertFalse(lease.value().closed);
        }
    }

    @Test
    void failedBuildIsNotKept() {
        AtomicInteger attempts = new AtomicInteger();
        LeasedCache<String, Resource> cache = new LeasedCache<>(2, key -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalArgumentException("no model at " + key);
            }
            return new Resource(key);
        });
        assertEquals("no model at a", assertThrows(IllegalArgumentException.class, () -> cache.acquire("a")).getMessage());
        assertEquals(0, cache.size());
        try (var lease = cache.acquire("a")) {
            assertEquals("a", lease.value().key);
        }
    }

    @Test
    void concurrentRequestsShareOneBuild() throws Exception {
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger builds = new AtomicInteger();
        LeasedCache<String, Resource> cache = new LeasedCache<>(2, key -> {
            builds.incrementAndGet();
            building.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Resource(key);
        });
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<Resource> first = pool.submit(() -> {
                try (var lease = cache.acquire("a")) {
                    return lease.value();
                }
            });
            building.await();
            Future<Resource> second = pool.submit(() -> {
                try (var lease = cache.acquire("a")) {
                    return lease.value();
                }
            });
            release.countDown();
            assertSame(first.get(), second.get());
        }
        assertEquals(1, builds.get());
    }

    @Test
    void closingClosesUnusedValuesAndLeasedOnesWhenReleased() {
        LeasedCache<String, Resource> cache = new LeasedCache<>(4, Resource::new);
        Resource idle;
        try (var lease = cache.acquire("idle")) {
            idle = lease.value();
        }
        var busy = cache.acquire("busy");
        cache.close();
        assertTrue(idle.closed);
        assertFalse(busy.value().closed);
        busy.close();
        assertTrue(busy.value().closed);
        assertThrows(IllegalStateException.class, () -> cache.acquire("x"));
    }
}
