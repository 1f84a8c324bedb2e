package dev.pen.api;

/**
 * What a backend accepts now: anything ({@code UP}); nothing until its blacklist ends, after a failed connect or an
 * operator's {@code blacklist} ({@code BLACKLISTED}); nothing while it fails its active health checks
 * ({@code DOWN}); or nothing new while it is drained ({@code DRAINING}). Where several hold, the later one in this
 * order is the state shown.
 */
public enum BackendState {
    UP,
    BLACKLISTED,
    DOWN,
    DRAINING
}
