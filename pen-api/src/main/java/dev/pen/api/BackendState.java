package dev.pen.api;

/**
 * What a backend accepts now: anything ({@code UP}); nothing until its blacklist ends ({@code BLACKLISTED}, after a
 * failed connect or an operator's {@code blacklist}); nothing while it fails its active health checks
 * ({@code DOWN}); or no new clients while its open connections carry on ({@code DRAINING}).
 */
public enum BackendState {
    /** Takes new clients. */
    UP,
    /** Takes no client until its blacklist time ends (pen's passive check). */
    BLACKLISTED,
    /** Takes no client: it failed its active health checks, and comes back once it passes them again. */
    DOWN,
    /** Takes no new client, returning ones included; its open connections carry on. */
    DRAINING
}
