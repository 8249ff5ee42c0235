package dev.chl.web;

import dev.chl.telemetry.QueueHistory;
import java.util.List;
import java.util.Locale;

/** The queue's recent history as two SVG polylines (pending, failed), scaled to a fixed view box. */
public record QueueChart(String pendingPoints, String failedPoints, long max, int samples) {
    public static final int WIDTH = 600;
    public static final int HEIGHT = 120;

    static QueueChart of(List<QueueHistory.Sample> samples) {
        long max = Math.max(1, samples.stream().mapToLong(s -> Math.max(s.pending(), s.failed())).max().orElse(1));
        StringBuilder pending = new StringBuilder();
        StringBuilder failed = new StringBuilder();
        int n = samples.size();
        for (int i = 0; i < n; i++) {
            double x = n == 1 ? WIDTH : (double) i * WIDTH / (n - 1);
            point(pending, x, samples.get(i).pending(), max);
            point(failed, x, samples.get(i).failed(), max);
        }
        return new QueueChart(pending.toString().strip(), failed.toString().strip(), max, n);
    }

    private static void point(StringBuilder out, double x, long value, long max) {
        double y = HEIGHT - 4 - (double) value * (HEIGHT - 8) / max;
        out.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
}
