/**
 * A fleet's identities in memory, issued by a CA on every core or read from a {@code certs bulk}
 * manifest, and the JSSE provider they use ({@code auto}: Conscrypt when it loads, else the JDK's).
 */
package io.thingstorm.loadgen.fleet;
