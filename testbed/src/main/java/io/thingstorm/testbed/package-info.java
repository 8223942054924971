/**
 * The embedded testbed: a Mainflux-style (or Cybus-style) mTLS platform in the current process, for
 * tests and for load runs on a machine with no server installed. Start with {@link
 * io.thingstorm.testbed.Testbed#builder()}.
 *
 * <ul>
 *   <li>{@code .mqtt}: HiveMQ CE, embedded, with the platform's rules as an extension;
 *   <li>{@code .http}: the HTTPS and WebSocket adapters (Jetty 12) on one mTLS port;
 *   <li>{@code .rules}: who may connect, publish and subscribe, per profile;
 *   <li>{@code .registry}: things, their channels, and the Cybus permissions file;
 *   <li>{@code .counters}: what was received and refused, per protocol and per thing;
 *   <li>{@code .tls}: the CA bundle and the server identity.
 * </ul>
 */
package io.thingstorm.testbed;
