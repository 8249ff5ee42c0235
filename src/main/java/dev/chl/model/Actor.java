package dev.chl.model;

/** Who asks for a change, and through which interface; every mutation carries one into the audit log. */
public record Actor(String name, Channel channel) {
    public static Actor system() {
        return new Actor("chl", Channel.SYSTEM);
    }
}
