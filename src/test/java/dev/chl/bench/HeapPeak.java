package dev.chl.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap use of this JVM during one measured step, three ways: the highest heap in use seen by a 5 ms sampler (includes
 * garbage not yet collected, so it grows with -Xmx), the highest heap left in use right after a collection (the live
 * set plus old garbage the collector has not reached: what the step really needs), and the JVM's committed heap.
 * Starts from a full collection, so the baseline is what the server holds at rest.
 */
final class HeapPeak implements AutoCloseable {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    /** Megabytes: at rest before the step, sampled peak in use, peak left after a collection, peak committed. */
    record Result(long baselineMb, long sampledMb, long afterGcMb, long committedMb) {
        @Override
        public String toString() {
            return String.format("heap at rest %d MB, peak in use %d MB (sampled), peak after GC %d MB, peak committed %d MB",
                    baselineMb, sampledMb, afterGcMb, committedMb);
        }
    }

    private final AtomicLong sampled = new AtomicLong();
    private final AtomicLong afterGc = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final long baseline;
    private final Thread sampler;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener onGc = this::onGc;
    private volatile boolean running = true;

    private HeapPeak() {
        System.gc();
        baseline = MEMORY.getHeapMemoryUsage().getUsed();
        sampled.set(baseline);
        afterGc.set(baseline);
        committed.set(MEMORY.getHeapMemoryUsage().getCommitted());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(onGc, null, null);
                emitters.add(emitter);
            }
        }
        sampler = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
            while (running) {
                MemoryUsage heap = MEMORY.getHeapMemoryUsage();
                sampled.accumulateAndGet(heap.getUsed(), Math::max);
                committed.accumulateAndGet(heap.getCommitted(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static HeapPeak start() {
        return new HeapPeak();
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        // G1's concurrent cycles report no heap change of their own; the pauses do
        long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                .filter(e -> !e.getKey().contains("Metaspace") && !e.getKey().contains("CodeHeap")
                        && !e.getKey().contains("Compressed Class"))
                .mapToLong(e -> e.getValue().getUsed()).sum();
        afterGc.accumulateAndGet(used, Math::max);
    }

    Result stop() {
        running = false;
        sampler.interrupt();
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(onGc);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // already gone
            }
        }
        long mb = 1024 * 1024;
        return new Result(baseline / mb, sampled.get() / mb, afterGc.get() / mb, committed.get() / mb);
    }

    @Override
    public void close() {
        stop();
    }
}
