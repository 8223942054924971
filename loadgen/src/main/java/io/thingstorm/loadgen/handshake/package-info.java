/**
 * The handshake storm: TCP connect, a mutual TLS handshake and close, back to back (closed loop) or
 * at a set rate (open model), to measure a server's and the client's TLS hot path alone.
 * {@link io.thingstorm.loadgen.handshake.HandshakeStorm} runs it;
 * {@link io.thingstorm.loadgen.handshake.HandshakeResult} holds the figures.
 */
package io.thingstorm.loadgen.handshake;
