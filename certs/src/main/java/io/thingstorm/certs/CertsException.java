package io.thingstorm.certs;

/**
 * A certificate or key problem a person can act on. The message is one line and names the file or
 * value at fault; it never holds key material.
 */
public class CertsException extends RuntimeException {
  public CertsException(String message) {
    super(oneLine(message));
  }

  public CertsException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /**
   * Messages quote what was read (a thing id from a CSV, a file name, a parser's words), and a quoted
   * CSV field may hold a line break: control characters are written as escapes.
   */
  private static String oneLine(String message) {
    if (message == null) return null;
    StringBuilder out = new StringBuilder(message.length());
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c < 0x20 || c == 0x7f) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.toString();
  }
}
