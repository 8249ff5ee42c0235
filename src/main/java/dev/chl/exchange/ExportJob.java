package dev.chl.exchange;

import dev.chl.common.Input;
import dev.chl.ops.JobBody;
import dev.chl.ops.JobKind;
import dev.chl.ops.JobType;
import java.util.Map;
import java.util.Set;

/** Export as a job: writes the review workbook as .xlsx or a zip of CSVs, downloadable from the job. */
public final class ExportJob implements JobKind {
    private final ExchangeService exchange;

    public ExportJob(ExchangeService exchange) {
        this.exchange = exchange;
    }

    @Override
    public JobType type() {
        return JobType.EXPORT;
    }

    @Override
    public Map<String, Object> options(Map<String, Object> requested) {
        Input in = new Input(requested).allowOnly(Set.of("target"));
        String target = in.string("target");
        if (target == null) {
            target = "xlsx";
        }
        if (!target.equals("xlsx") && !target.equals("csv") && !target.equals("sheets")) {
            in.error("target", "'" + target + "' is not a target; use sheets, xlsx or csv");
        }
        in.check();
        return Map.of("target", target);
    }

    @Override
    public JobBody body(Map<String, Object> options) {
        return ctx -> exchange.export((String) options.get("target"), ctx.jobId(), ctx);
    }
}
