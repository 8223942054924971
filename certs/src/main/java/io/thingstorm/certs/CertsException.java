package io.thingstorm.certs;

/**
 * A certificate or key problem a person can act on. The message is one line and names the file or
 * value at fault; it never holds key material.
 */
public class CertsException extends RuntimeException {
  public CertsException(String message) {
    super(message);
  }

  public CertsException(String message, Throwable cause) {
    super(message, cause);
  }
}
