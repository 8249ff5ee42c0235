package dev.chl.ops;

import java.util.Map;

/** The work of one job. Returns its result summary; throws to fail (a person-readable message becomes the error). */
@FunctionalInterface
public interface JobBody {
    Map<String, Object> run(JobContext context) throws Exception;
}
