package dev.chl.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/** How far a job has come: its step, and done of total (percent derived), as every view and event shows it. */
record Progress(int percent, String step, long done, long total) {
    static final Progress QUEUED = new Progress(0, "queued", 0, 0);

    static Progress of(String step, long done, long total) {
        return new Progress(total > 0 ? (int) Math.min(100, done * 100 / total) : 0, step, done, total);
    }

    Progress complete() {
        return new Progress(100, step, Math.max(done, total), total);
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("percent", percent);
        map.put("step", step);
        map.put("done", done);
        map.put("total", total);
        return map;
    }
}
