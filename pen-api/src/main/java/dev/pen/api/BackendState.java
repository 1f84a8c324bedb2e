package dev.pen.api;

/** What a backend accepts now: anything ({@code UP}), nothing until its blacklist ends, or nothing new (draining). */
public enum BackendState {
    UP,
    BLACKLISTED,
    DRAINING
}
