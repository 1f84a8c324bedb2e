/**
 * The balancer on Netty: {@link dev.pen.netty.NettyBalancer} starts a {@link dev.pen.api.BalancerConfig}, optionally
 * with a Micrometer registry, and its provider lets {@link dev.pen.api.Balancer#start} find it. Everything else lives
 * under {@code dev.pen.netty.internal}, which is not API.
 */
package dev.pen.netty;
