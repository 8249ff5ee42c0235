package dev.chl.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/** The console's templates: compiled to classes at build time (src/main/jte), so nothing is compiled while serving. */
final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    /** Renders {@code template} (e.g. "workers/panel.jte") with its one parameter. */
    String render(String template, Object model) {
        StringOutput out = new StringOutput();
        engine.render(template, model, out);
        return out.toString();
    }

    void html(Context ctx, String template, Object model) {
        ctx.contentType("text/html; charset=utf-8").result(render(template, model));
    }
}
