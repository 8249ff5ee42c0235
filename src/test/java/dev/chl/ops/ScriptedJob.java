package dev.chl.ops;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A job kind for tests: registers under {@code type} (for its locks) and runs whatever body the test supplies. */
final class ScriptedJob implements JobKind {
    private final JobType type;
    private final Supplier<JobBody> bodies;

    ScriptedJob(JobType type, Supplier<JobBody> bodies) {
        this.type = type;
        this.bodies = bodies;
    }

    @Override
    public JobType type() {
        return type;
    }

    @Override
    public Map<String, Object> options(Map<String, Object> requested) {
        return Map.of();
    }

    @Override
    public JobBody body(Map<String, Object> options) {
        return bodies.get();
    }

    /** How a {@link Gate} body ends once released. */
    enum Ending { SUCCEED, FAIL, CHECKPOINT }

    /**
     * A body that (optionally) quiesces the workers, says so, waits to be released, then ends as told. A checkpoint
     * ending stops the job when it was cancelled or timed out, and succeeds otherwise.
     */
    static final class Gate implements JobBody {
        final boolean quiesce;
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        volatile Ending ending = Ending.SUCCEED;
        volatile Runnable onStop = () -> { };

        Gate(boolean quiesce) {
            this.quiesce = quiesce;
        }

        @Override
        public Map<String, Object> run(JobContext ctx) throws Exception {
            try {
                if (quiesce) {
                    ctx.quiesceWorkers();
                }
                reached.countDown();
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test never released the job");
                }
                switch (ending) {
                    case FAIL -> throw new IllegalStateException("boom (scripted failure)");
                    case CHECKPOINT -> ctx.checkpoint();
                    case SUCCEED -> { }
                }
                return Map.of("ok", true);
            } finally {
                onStop.run();
                ended.countDown();
            }
        }

        void awaitReached() throws InterruptedException {
            if (!reached.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the job did not reach its gate");
            }
        }

        void finishAs(Ending how) {
            ending = how;
            release.countDown();
        }
    }
}
