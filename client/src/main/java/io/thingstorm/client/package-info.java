/**
 * The device client: one thing, authenticated by its X.509 certificate (CN = thing key), publishing
 * to and subscribing from an IoT platform over MQTTS 3.1.1 or 5, HTTPS or WSS.
 *
 * <ul>
 *   <li>{@link io.thingstorm.client.ThingIdentity}: certificate chain, private key, thing id and key;
 *       checked when built.
 *   <li>{@link io.thingstorm.client.tls.TlsSettings}: trust, versions, suites, host names, SNI,
 *       resumption, provider; shared by a fleet, made per thing into a
 *       {@link io.thingstorm.client.tls.ThingTls}.
 *   <li>{@link io.thingstorm.client.PlatformProfile}: Mainflux, Cybus or your own topic and URL layout.
 *   <li>{@link io.thingstorm.client.Device}: the facade; the URL's scheme picks the
 *       {@link io.thingstorm.client.Transport}; reconnects with {@link io.thingstorm.client.Backoff}.
 *   <li>{@link io.thingstorm.client.DeviceException} and {@link io.thingstorm.client.FailureKind}: every
 *       failure, classified and said in one line.
 * </ul>
 */
package io.thingstorm.client;
