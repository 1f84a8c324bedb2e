/**
 * pen for the JVM's public API: {@link dev.pen.api.BalancerConfig} (one immutable value holding everything a balancer
 * does), {@link dev.pen.api.Balancer} (the running handle, started with {@link dev.pen.api.Balancer#start}),
 * {@link dev.pen.api.Backend} (pen's server spec) and its live state, {@link dev.pen.api.Strategy} (which backend for
 * a new client) with pen's built-ins, {@link dev.pen.api.ConnectionLog} (what happened to a connection),
 * {@link dev.pen.api.HealthCheck} (active health checks) and {@link dev.pen.api.BackendStateListener} (a backend
 * went up, down, blacklisted or draining). No Netty
 * type appears here; the implementation is found at run time through {@link java.util.ServiceLoader}.
 */
package dev.pen.api;
