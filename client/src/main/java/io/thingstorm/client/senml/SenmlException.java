package io.thingstorm.client.senml;

/**
 * A SenML pack that cannot be decoded, or breaks a rule of RFC 8428. The message is one line that
 * names the record (counted from 0) and the problem, e.g. {@code record 2: name "x y" has a
 * character not allowed (' ')}.
 */
public final class SenmlException extends RuntimeException {
  public SenmlException(String message) {
    super(oneLine(message));
  }

  public SenmlException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /** Messages quote untrusted input: control characters would break the one-line promise. */
  private static String oneLine(String message) {
    StringBuilder out = null;
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (out == null) out = new StringBuilder(message.length() + 8).append(message, 0, i);
        out.append(String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? message : out.toString();
  }
}
