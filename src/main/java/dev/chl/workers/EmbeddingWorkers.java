package dev.chl.workers;

import dev.chl.audit.AuditLog;
import dev.chl.common.NotFoundException;
import dev.chl.common.Times;
import dev.chl.embed.Embedder;
import dev.chl.model.Actor;
import dev.chl.model.Kind;
import dev.chl.settings.SettingsService;
import dev.chl.settings.WorkerSettings;
import dev.chl.store.Database;
import dev.chl.model.EmbeddingFailure;
import dev.chl.store.QueueItem;
import dev.chl.store.WorkerMetricRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedding worker pool (DESIGN §5). Workers take pending entries in batches; exactly one worker owns an entry at
 * a time. Pause has three independent sources — an operator's pause of all workers, an operator's pause of one worker,
 * and counted job tokens from {@link #quiesce} — so a job's pause and an operator's never cancel each other.
 */
public final class EmbeddingWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingWorkers.class);
    private static final long IDLE_WAIT_MS = 1000;

    private final Database database;
    private final BatchProcessor processor;
    private final SettingsService settings;
    private final AuditLog audit;
    private final Clock clock;
    private final WorkerTimings timings;
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    /** Entries embedded per worker id since start, kept when a worker retires (a Prometheus counter never goes down). */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> embeddedById = new ConcurrentHashMap<>();

    // Guarded by "this": pause sources, the in-flight count and the drain set; waiters are woken with notifyAll.
    private boolean allPausedByOperator;
    private final Set<String> pausedByOperator = new java.util.HashSet<>();
    private int jobPauseTokens;
    private int batchesInFlight;
    private Set<String> drainRemaining;
    private volatile boolean stopping;
    private volatile ScheduledExecutorService heartbeats;

    private static final Duration THROUGHPUT_WINDOW = Duration.ofMinutes(1);

    public EmbeddingWorkers(Database database, Embedder embedder, VectorSink sink, SettingsService settings, AuditLog audit, Clock clock) {
        this(database, embedder, sink, settings, audit, clock, WorkerTimings.DEFAULTS);
    }

    EmbeddingWorkers(Database database, Embedder embedder, VectorSink sink, SettingsService settings, AuditLog audit, Clock clock,
                     WorkerTimings timings) {
        this.database = database;
        this.processor = new BatchProcessor(database, embedder, sink, clock);
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.timings = timings;
    }

    /**
     * Starts the configured number of workers, each with its heartbeat, and keeps the pool at the configured count:
     * a change of {@code workers.count} applies within a heartbeat interval, without a restart.
     */
    public synchronized void start() {
        // Heartbeats run beside the loops, not between batches: a long batch is busy, not stale (DESIGN §5).
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("chl-embed-heartbeat").daemon().unstarted(r));
        resize(settings.workers().count());
        long every = timings.heartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(this::followConfiguredCount, every, every, TimeUnit.MILLISECONDS);
    }

    private void followConfiguredCount() {
        try {
            int wanted = settings.workers().count();
            synchronized (this) {
                resize(wanted);
            }
        } catch (RuntimeException e) {
            // Caught so the schedule goes on: a task that throws is never run again.
            LOG.warn("could not read the configured worker count; the pool stays as it is", e);
        }
    }

    /**
     * Starts workers up to {@code wanted} and retires the ones above it: a retired worker finishes its batch, then
     * leaves the pool (with its single-worker pause). Ids stay worker-1 … worker-N. Called holding this object's lock.
     */
    private void resize(int wanted) {
        if (stopping) {
            return;
        }
        for (int number = 1; number <= wanted; number++) {
            Worker existing = workers.get(Worker.idOf(number));
            if (existing == null) {
                startWorker(number);
            } else {
                existing.retiring = false; // asked back before it left
            }
        }
        for (Worker w : workers.values()) {
            if (w.number > wanted && !w.retiring) {
                w.retiring = true;
                LOG.info("{} leaves the pool after its current batch (worker count now {})", w.id, wanted);
            }
        }
        notifyAll();
    }

    private void startWorker(int number) {
        Worker worker = new Worker(number, clock.instant());
        worker.thread = Thread.ofPlatform().name("chl-embed-" + number).daemon().unstarted(() -> loop(worker));
        workers.put(worker.id, worker);
        threads.removeIf(t -> !t.isAlive());
        threads.add(worker.thread);
        worker.thread.start();
        // After the start: the first heartbeat, written at once, checks that the thread is alive.
        worker.heartbeatTask = heartbeats.scheduleWithFixedDelay(() -> heartbeat(worker), 0, timings.heartbeat().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Wakes idle workers: something may have been queued. */
    public synchronized void wake() {
        notifyAll();
    }

    // ---- operator controls -----------------------------------------------------------------------------------

    /**
     * Pauses every worker. A drain running now ends here: it was heading for this pause anyway, and "draining" must
     * not stay true while nothing drains; what it had left waits for resume (or a new drain).
     */
    public void pauseAll(Actor actor) {
        int drainLeft;
        synchronized (this) {
            drainLeft = drainRemaining == null ? -1 : drainRemaining.size();
            drainRemaining = null;
            allPausedByOperator = true;
            notifyAll();
        }
        audited(actor, "workers.pause", drainLeft < 0 ? Map.of("worker", "all")
                : Map.of("worker", "all", "drain_ended", true, "drain_entries_left", drainLeft));
    }

    public void resumeAll(Actor actor) {
        synchronized (this) {
            allPausedByOperator = false;
            pausedByOperator.clear();
            drainRemaining = null;
            notifyAll();
        }
        audited(actor, "workers.resume", Map.of("worker", "all"));
    }

    public void pause(Actor actor, String workerId) {
        synchronized (this) {
            requireWorker(workerId);
            pausedByOperator.add(workerId);
            notifyAll();
        }
        audited(actor, "workers.pause", Map.of("worker", workerId));
    }

    public void resume(Actor actor, String workerId) {
        synchronized (this) {
            requireWorker(workerId);
            pausedByOperator.remove(workerId);
            notifyAll();
        }
        audited(actor, "workers.resume", Map.of("worker", workerId));
    }

    /**
     * Finishes the entries pending now, then pauses all workers. Entries queued later wait for resume; entries that
     * fail during the drain leave it (they are retried after resume) so they never hold it open. Like the pause of
     * all workers, the operator's single-worker pauses are lifted (the drain ends in a pause of all anyway): with every
     * worker paused one by one, nothing would drain and "draining" would stay true. A job's pause still holds.
     */
    public void drain(Actor actor) {
        Set<String> snapshot = ConcurrentHashMap.newKeySet();
        database.read(tx -> {
            for (Kind kind : Kind.values()) {
                snapshot.addAll(tx.entries().drainableIds(kind));
            }
            return null;
        });
        List<String> lifted;
        synchronized (this) {
            drainRemaining = snapshot;
            allPausedByOperator = false;
            lifted = pausedByOperator.stream().sorted().toList();
            pausedByOperator.clear();
            finishDrainIfDone();
            notifyAll();
        }
        audited(actor, "workers.drain", lifted.isEmpty() ? Map.of("entries", snapshot.size())
                : Map.of("entries", snapshot.size(), "worker_pauses_lifted", lifted));
    }

    /** Puts every failed entry back in the queue; returns how many. */
    public int retryFailed(Actor actor) {
        int count = database.write(tx -> {
            int n = tx.entries().retryFailed(Kind.EXPERIENCE) + tx.entries().retryFailed(Kind.MANUAL);
            audit.record(tx, actor, "workers.retry_failed", Map.of("entries", n));
            return n;
        });
        wake();
        return count;
    }

    /**
     * Pauses all workers for a job and waits until no batch is in flight (never for the queue to empty). The returned
     * token must be closed — in a {@code finally} — to give the pause back.
     */
    public PauseToken quiesce() throws InterruptedException {
        synchronized (this) {
            jobPauseTokens++;
            notifyAll();
            try {
                while (batchesInFlight > 0) {
                    wait();
                }
            } catch (InterruptedException e) {
                jobPauseTokens--;
                notifyAll();
                throw e;
            }
        }
        return new PauseToken(this);
    }

    synchronized void returnToken() {
        jobPauseTokens--;
        notifyAll();
    }

    // ---- status -----------------------------------------------------------------------------------------------

    public List<WorkerState> states() {
        Instant now = clock.instant();
        List<WorkerState> states = new ArrayList<>();
        synchronized (this) {
            for (Worker w : workers.values()) {
                Instant last = w.lastHeartbeat != null ? w.lastHeartbeat : w.startedAt;
                boolean stale = Duration.between(last, now).compareTo(timings.staleAfter()) > 0;
                states.add(new WorkerState(w.id, shownStatus(w), w.processed.get(), w.failed.get(), w.lastHeartbeat, stale));
            }
        }
        return states;
    }

    /**
     * The status to report: a pause or resume shows at once, not only when the worker's loop next wakes (a batch
     * already running finishes first and shows as running until then). Called holding this object's lock.
     */
    private String shownStatus(Worker w) {
        String status = w.status;
        if (status.equals("draining") && drainRemaining == null) {
            return "running"; // the drain ended (pause or resume) while this batch runs on
        }
        boolean paused = isPaused(w.id);
        if (paused && status.equals("idle")) {
            return "paused";
        }
        if (!paused && status.equals("paused")) {
            return "idle";
        }
        return status;
    }

    /**
     * Entries embedded per minute by each worker over the last minute, from its heartbeats (a worker that restarted
     * within the minute counts from its restart).
     */
    public Map<String, Double> throughputPerMinute() {
        Instant now = clock.instant();
        String since = Times.format(now.minus(THROUGHPUT_WINDOW));
        Map<String, Double> rates = new java.util.LinkedHashMap<>();
        for (WorkerState state : states()) {
            List<WorkerMetricRow> rows = database.read(tx -> tx.workerMetrics().since(state.id(), since));
            double rate = 0;
            if (!rows.isEmpty()) {
                WorkerMetricRow first = rows.getFirst();
                double minutes = Duration.between(Instant.parse(first.heartbeatAt()), now).toMillis() / 60_000.0;
                long embedded = state.processed() - first.processed();
                if (minutes > 0.05 && embedded > 0) {
                    rate = embedded / minutes;
                }
            }
            rates.put(state.id(), rate);
        }
        return rates;
    }

    public QueueCounts queue() {
        return database.read(tx -> {
            long pending = 0;
            long failed = 0;
            for (Kind kind : Kind.values()) {
                Map<String, Long> counts = tx.entries().embeddingCounts(kind);
                pending += counts.getOrDefault("pending", 0L);
                failed += counts.getOrDefault("failed", 0L);
            }
            return new QueueCounts(pending, failed);
        });
    }

    public synchronized boolean draining() {
        return drainRemaining != null;
    }

    public synchronized boolean paused() {
        return allPausedByOperator || jobPauseTokens > 0;
    }

    public List<EmbeddingFailure> recentFailures(int limit) {
        return database.read(tx -> {
            List<EmbeddingFailure> all = new ArrayList<>(tx.entries().recentFailures(Kind.EXPERIENCE, limit));
            all.addAll(tx.entries().recentFailures(Kind.MANUAL, limit));
            all.sort(Comparator.comparing(EmbeddingFailure::updatedAt).reversed());
            return all.subList(0, Math.min(limit, all.size()));
        });
    }

    // ---- the loop ---------------------------------------------------------------------------------------------

    private void loop(Worker worker) {
        while (stillWanted(worker)) {
            try {
                runOnce(worker);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("{} hit an unexpected error; it carries on", worker.id, e);
                sleepQuietly(IDLE_WAIT_MS);
            }
        }
        worker.status = "stopped";
    }

    /** False once the pool closes, or once this worker was retired by a lower count (it then leaves the pool). */
    private synchronized boolean stillWanted(Worker worker) {
        if (stopping) {
            return false;
        }
        if (worker.retiring) {
            workers.remove(worker.id);
            pausedByOperator.remove(worker.id);
            worker.heartbeatTask.cancel(false);
            LOG.info("{} left the pool", worker.id);
            return false;
        }
        return true;
    }

    private void runOnce(Worker worker) throws InterruptedException {
        worker.lastProgress = clock.instant();
        Set<String> drainSet;
        synchronized (this) {
            if (worker.retiring) {
                return;
            }
            if (isPaused(worker.id)) {
                worker.status = "paused";
                worker.parked = true;
                wait(IDLE_WAIT_MS);
                return;
            }
            worker.parked = false;
            batchesInFlight++;
            drainSet = drainRemaining;
        }
        List<QueueItem> batch = List.of();
        try {
            WorkerSettings config = settings.workers();
            batch = claim(config.batchSize(), drainSet);
            if (batch.isEmpty()) {
                worker.status = "idle";
            } else {
                worker.status = drainSet != null ? "draining" : "running";
                BatchProcessor.Outcome outcome = processor.process(batch, config.maxAttempts(),
                        () -> worker.lastProgress = clock.instant());
                worker.processed.addAndGet(outcome.embedded());
                embeddedById.computeIfAbsent(worker.id, id -> new java.util.concurrent.atomic.AtomicLong()).addAndGet(outcome.embedded());
                worker.failed.addAndGet(outcome.failed());
                if (drainSet != null) {
                    drainSet.removeAll(outcome.settledIds());
                }
            }
        } finally {
            batch.forEach(item -> claimed.remove(item.id()));
            synchronized (this) {
                batchesInFlight--;
                if (drainSet != null && drainSet == drainRemaining) {
                    finishDrainIfDone();
                }
                notifyAll();
                if (batch.isEmpty() && !stopping) {
                    wait(IDLE_WAIT_MS);
                }
            }
        }
    }

    /**
     * True when the worker sits in its pause (not merely asked to pause: a loop past its check may still take one more
     * batch). For tests that need a worker out of the way before they queue work.
     */
    synchronized boolean parked(String workerId) {
        Worker w = workers.get(workerId);
        return w != null && w.parked && isPaused(workerId);
    }

    /** Entries embedded by each worker id since start, including ids of workers a lower count has retired. */
    public Map<String, Long> embeddedTotals() {
        Map<String, Long> totals = new java.util.TreeMap<>();
        embeddedById.forEach((id, n) -> totals.put(id, n.get()));
        return totals;
    }

    private boolean isPaused(String workerId) {
        return stopping || allPausedByOperator || jobPauseTokens > 0 || pausedByOperator.contains(workerId);
    }

    /** Takes up to {@code size} claimable entries that no other worker owns (while draining, only drain entries). */
    private List<QueueItem> claim(int size, Set<String> drainSet) {
        if (drainSet != null) {
            return claimFromDrain(size, drainSet);
        }
        String now = Times.format(clock.instant());
        // Every row another worker (or a sync job) owns may sit among the oldest: look past all of them, so any number
        // of workers finds work while any is left.
        int window = size + claimed.size();
        List<QueueItem> candidates = database.read(tx -> {
            List<QueueItem> items = new ArrayList<>(tx.entries().pendingForEmbedding(Kind.EXPERIENCE, now, window));
            items.addAll(tx.entries().pendingForEmbedding(Kind.MANUAL, now, window));
            return items;
        });
        // Oldest first across both kinds: taken kind by kind, a manual waited behind every pending experience.
        candidates.sort(java.util.Comparator.comparing(QueueItem::updatedAt));
        List<QueueItem> mine = new ArrayList<>();
        for (QueueItem item : candidates) {
            if (mine.size() == size) {
                break;
            }
            if (claimed.add(item.id())) {
                mine.add(item);
            }
        }
        return mine;
    }

    /**
     * Claims from the drain set itself, not from the oldest pending rows: entries written later (even ones with an
     * older updated_at, as an import writes them) can then never crowd the drain's own entries out. Ids that are no
     * longer waiting (embedded, deleted, or failed and backing off) leave the drain set here.
     */
    private List<QueueItem> claimFromDrain(int size, Set<String> drainSet) {
        while (true) {
            List<String> picked = new ArrayList<>(size);
            for (String id : drainSet) {
                if (picked.size() == size) {
                    break;
                }
                if (claimed.add(id)) {
                    picked.add(id);
                }
            }
            if (picked.isEmpty()) {
                return List.of();
            }
            String now = Times.format(clock.instant());
            List<QueueItem> due;
            try {
                due = database.read(tx -> {
                    List<QueueItem> items = new ArrayList<>(tx.entries().pendingAmong(Kind.EXPERIENCE, picked, now));
                    items.addAll(tx.entries().pendingAmong(Kind.MANUAL, picked, now));
                    return items;
                });
            } catch (RuntimeException e) {
                // Not yet a batch, so runOnce's finally cannot release them: unreleased, they stay claimed until a
                // restart and the drain never empties.
                picked.forEach(claimed::remove);
                throw e;
            }
            Set<String> dueIds = new java.util.HashSet<>();
            due.forEach(item -> dueIds.add(item.id()));
            for (String id : picked) {
                if (!dueIds.contains(id)) {
                    drainSet.remove(id);
                    claimed.remove(id);
                }
            }
            if (!due.isEmpty()) {
                return due;
            }
        }
    }

    private void finishDrainIfDone() {
        if (drainRemaining != null && drainRemaining.isEmpty() && batchesInFlight == 0) {
            drainRemaining = null;
            allPausedByOperator = true;
            LOG.info("drain finished; all workers paused");
        }
    }

    /**
     * Writes one heartbeat for a worker that is alive and getting on. A dead worker, or one without any progress for
     * {@code stuckAfter}, gets none, so it turns stale: stale means stuck or dead, never merely busy with a long batch.
     */
    private void heartbeat(Worker worker) {
        try {
            Instant now = clock.instant();
            boolean stuck = Duration.between(worker.lastProgress, now).compareTo(timings.stuckAfter()) > 0;
            if (!worker.thread.isAlive() || stuck) {
                return;
            }
            QueueCounts queue = queue();
            database.write(tx -> {
                tx.workerMetrics().insert(new WorkerMetricRow(worker.id, Times.format(now), worker.status,
                        (int) Math.min(Integer.MAX_VALUE, queue.pending()), worker.processed.get(), worker.failed.get(),
                        "{\"failed_entries\":" + queue.failed() + "}"));
                return null;
            });
            worker.lastHeartbeat = now;
        } catch (RuntimeException e) {
            // Caught so the schedule goes on: a task that throws is never run again.
            LOG.warn("{} could not write its heartbeat", worker.id, e);
        }
    }

    private void requireWorker(String workerId) {
        if (!workers.containsKey(workerId)) {
            throw new NotFoundException("no worker '" + workerId + "'; workers are " + String.join(", ", workers.keySet()));
        }
    }

    private void audited(Actor actor, String action, Map<String, ?> details) {
        database.write(tx -> {
            audit.record(tx, actor, action, details);
            return null;
        });
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping = true;
        List<Thread> running;
        synchronized (this) {
            notifyAll();
            running = List.copyOf(threads);
        }
        if (heartbeats != null) {
            // Not interrupted: a heartbeat inside its database write finishes it, then no other starts.
            heartbeats.shutdown();
            try {
                heartbeats.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Thread t : running) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
