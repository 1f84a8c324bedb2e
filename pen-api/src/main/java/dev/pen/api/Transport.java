package dev.pen.api;

/**
 * The socket transport under the relay. {@code AUTO} takes the best one this machine offers and logs its choice;
 * naming one forces it, and a forced one that is not available fails the start with its cause.
 */
public enum Transport {
    AUTO,
    IO_URING,
    EPOLL,
    NIO
}
