package dev.chl.http;

import dev.chl.model.Actor;
import dev.chl.model.Channel;
import io.javalin.http.Context;

/** Who is asking: the actor name and channel a client declares, within safe bounds. */
public final class Requests {
    public static final String ACTOR_HEADER = "X-CHL-Actor";
    public static final String CHANNEL_HEADER = "X-CHL-Channel";

    private Requests() {}

    /**
     * The actor for audit rows. Clients may name themselves (the CLI sends the OS user, the MCP bridge its client);
     * the channel may be api, cli or mcp — ui is reserved for the console's own forms.
     */
    public static Actor actor(Context ctx) {
        String name = ctx.header(ACTOR_HEADER);
        if (name == null || name.isBlank() || name.length() > 120 || !name.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            name = "api-client";
        }
        Channel channel = switch (String.valueOf(ctx.header(CHANNEL_HEADER))) {
            case "cli" -> Channel.CLI;
            case "mcp" -> Channel.MCP;
            default -> Channel.API;
        };
        return new Actor(name.strip(), channel);
    }
}
