package io.thingstorm.certs;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance the toolkit uses. It is passed explicitly rather than
 * installed with {@code Security.addProvider}, so that loading thingstorm never changes which
 * provider the JDK picks for TLS elsewhere in the process.
 */
public final class BouncyCastle {
  public static final Provider PROVIDER = new BouncyCastleProvider();

  private BouncyCastle() {}
}
